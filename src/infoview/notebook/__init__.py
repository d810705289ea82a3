"""The notebook: ``%load_ext infoview``, the ``%%template`` cell magic and a notebook-wide set.

It sits on top, like the command line, and may import everything; nothing
imports it. IPython is an optional extra (``pip install 'infoview[notebook]'``):
``import infoview`` never imports this package, and IPython finds
``infoview.load_ipython_extension`` through the face, which loads it on first use.
"""

from infoview.notebook.magic import TemplateMagics, load_ipython_extension

__all__ = ["TemplateMagics", "load_ipython_extension"]
