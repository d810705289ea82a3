"""Signing in: a password kept once in the keyring, and OAuth 2 (XOAUTH2) tokens, refreshed."""

from __future__ import annotations

import base64
import logging
import ssl
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner, Result

import infoview
from infoview.cli import main
from infoview.errors import SendError, SignInError
from infoview.sending import Backoff, SMTPSettings
from infoview.sending.oauth import Google, Microsoft, TokenProvider, TokenStore, xoauth2
from infoview.sending.signin import find_password, store_password
from tests._keyring import MemoryKeyring
from tests._mailserver import Recorder, free_port, mail_server, outreach

SECRET = "s3cret app password"  # noqa: S105 - a test password


def run(*args: str | Path, input: str | None = None, **env: str) -> Result:
    """Run ``infoview ARGS`` in-process."""
    return CliRunner().invoke(
        main, [str(a) for a in args], prog_name="infoview", env=env, input=input
    )


def tls() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a certificate for 127.0.0.1, and a client context trusting it."""
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    return server, client


# -- passwords in the keyring -------------------------------------------------------------


def test_the_variable_comes_first_then_the_keyring(
    keyring_of_the_test: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A set variable wins; an unset one falls back to the keyring; with neither, one error."""
    with pytest.raises(SignInError, match=r"IMAP_PW .*is not set.*infoview login --user sam"):
        find_password("sam@example.org", "IMAP_PW")
    store_password("sam@example.org", SECRET)
    assert {("infoview", "sam@example.org"): SECRET} == keyring_of_the_test.kept
    assert SECRET == find_password("sam@example.org", "IMAP_PW")
    monkeypatch.setenv("IMAP_PW", "from the variable")
    assert "from the variable" == find_password("sam@example.org", "IMAP_PW")
    assert "asked" == find_password("bob@example.org", None, lambda: "asked")


def test_smtp_signs_in_with_the_password_kept_in_the_keyring(tmp_path: Path) -> None:
    """No variable set: the password infoview login kept is the one SMTP logs in with."""
    login = run("login", "--user", "sam", input=f"{SECRET}\n")
    assert 0 == login.exit_code, login.output
    assert "Password for sam kept in the system keyring" in login.output
    server_context, client_context = tls()
    with mail_server(tls_context=server_context, password=SECRET) as (server, port):
        settings = SMTPSettings(
            "127.0.0.1", port, user="sam", password_env="UNSET_VARIABLE",  # noqa: S106
            ssl_context=client_context, timeout=5,
        )  # fmt: skip
        report = infoview.send([outreach(1)[0][1]], smtp=settings, journal=tmp_path / "j")
    assert 1 == report.sent
    assert [("sam", SECRET)] == server.logins
    assert b"s3cret" not in b"".join(f.read_bytes() for f in tmp_path.iterdir())


def test_login_forget_removes_the_password(keyring_of_the_test: MemoryKeyring) -> None:
    """infoview login --forget removes what login kept; a second time there is none."""
    store_password("sam", SECRET)
    assert "removed from the keyring" in run("login", "--user", "sam", "--forget").output
    assert {} == keyring_of_the_test.kept
    assert "none kept" in run("login", "--user", "sam", "--forget").output


# -- OAuth 2 -------------------------------------------------------------------------------


@attrs.define
class Issuer:
    """A token provider of the test's own: it issues tokens that expire when told to.

    It plays both sides: the provider infoview asks for tokens, and the
    authority the server asks whether a token is valid.
    """

    user: str = "sam@example.org"
    issued: list[str] = attrs.Factory(list)
    revoked: set[str] = attrs.Factory(set)
    withdrawn: set[str] = attrs.Factory(set)  # refused by the authority, unknown to the provider
    fresh_asked: int = 0
    broken: bool = False

    def token(self, *, fresh: bool = False) -> str:
        """Return the current token, or issue a new one when it expired (or ``fresh``)."""
        self.fresh_asked += fresh
        if self.broken:
            return f"broken-token-{len(self.issued)}"
        if fresh or not self.issued or self.issued[-1] in self.revoked:
            self.issued.append(f"ya29.token-{len(self.issued) + 1}-XyZ")
        return self.issued[-1]

    def expire(self) -> None:
        """The current token expires (the provider notices; the server refuses it)."""
        self.revoked.update(self.issued)

    def valid(self, token: str) -> bool:
        """Whether the authority takes the token."""
        return token in self.issued and token not in self.revoked | self.withdrawn


class OAuthRecorder(Recorder):
    """The sending tests' handler, with XOAUTH2 that checks each token with the issuer."""

    def __init__(self, issuer: Issuer) -> None:
        super().__init__()
        self.issuer = issuer
        self.tokens: list[tuple[str, bool]] = []

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> AuthResult:  # noqa: N802
        """aiosmtpd's hook for a custom AUTH mechanism: check the user and the bearer token."""
        fields = base64.b64decode(args[1]).decode().split("\x01")
        user = fields[0].removeprefix("user=")
        token = fields[1].removeprefix("auth=Bearer ")
        ok = user == self.issuer.user and self.issuer.valid(token)
        self.tokens.append((token, ok))
        if ok:
            return AuthResult(success=True, auth_data=user)
        # As Gmail does: a 334 with the error in base64 JSON, the client's empty line, then 535.
        await server.challenge_auth(b'{"status":"401","schemes":"bearer"}')
        return AuthResult(success=False, handled=False, message="535 5.7.8 Token not accepted")


@contextmanager
def oauth_server(issuer: Issuer) -> Iterator[tuple[OAuthRecorder, int, ssl.SSLContext]]:
    """Run aiosmtpd with STARTTLS required and XOAUTH2 as its only login."""
    server_context, client_context = tls()
    recorder = OAuthRecorder(issuer)
    port = free_port()
    controller = Controller(
        recorder, hostname="127.0.0.1", port=port, tls_context=server_context,
        require_starttls=True, auth_required=True, auth_exclude_mechanism=["LOGIN", "PLAIN"],
    )  # fmt: skip
    controller.start()
    try:
        yield recorder, port, client_context
    finally:
        controller.stop()


def test_xoauth2_sends_and_a_token_expiring_mid_run_is_refreshed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The token expires after the first message; the reconnection signs in with a new one."""
    caplog.set_level(logging.DEBUG)
    issuer = Issuer()
    assert isinstance(issuer, TokenProvider)
    pairs = outreach(3)
    lines: list[str] = []

    def progress(outcome: infoview.Outcome) -> None:
        lines.append(outcome.line())
        if len(lines) == 1:
            issuer.expire()

    with oauth_server(issuer) as (server, port, context):
        server.faults[pairs[1][1].message_id] = ["421"]  # the server closes: we reconnect
        settings = SMTPSettings("127.0.0.1", port, ssl_context=context, timeout=5, token=issuer)
        report = infoview.send(
            [draft for _, draft in pairs], smtp=settings, journal=tmp_path / "j",
            backoff=Backoff(initial=0.01, jitter=0), progress=progress,
        )  # fmt: skip
    assert 3 == report.sent
    assert ["ya29.token-1-XyZ", "ya29.token-2-XyZ"] == issuer.issued
    assert [("ya29.token-1-XyZ", True), ("ya29.token-2-XyZ", True)] == server.tokens
    everything = "\n".join([*lines, repr(settings), caplog.text])
    everything += b"".join(f.read_bytes() for f in tmp_path.iterdir()).decode("latin-1")
    assert "ya29" not in everything.replace(server_log(caplog), "")


def server_log(caplog: pytest.LogCaptureFixture) -> str:
    """What the test server (aiosmtpd's "mail.log") logged: the server's side, not infoview's."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("mail.log"))


def test_a_refused_token_is_renewed_once_then_the_error_names_no_token(tmp_path: Path) -> None:
    """A refused token is asked for afresh once; a provider with only bad ones stops."""
    issuer = Issuer()
    issuer.withdrawn.add(issuer.token())  # the provider still thinks it valid
    with oauth_server(issuer) as (server, port, context):
        settings = SMTPSettings("127.0.0.1", port, ssl_context=context, timeout=5, token=issuer)
        report = infoview.send([outreach(1)[0][1]], smtp=settings, journal=tmp_path / "j")
        assert 1 == report.sent
        assert 1 == issuer.fresh_asked
        assert [False, True] == [ok for _, ok in server.tokens]
        broken = Issuer(broken=True)
        with pytest.raises(
            SendError, match=r"OAuth token for sam@example\.org was refused"
        ) as info:
            infoview.send(
                [outreach(2)[1][1]],
                smtp=attrs.evolve(settings, token=broken),
                journal=tmp_path / "j2",
            )
    assert "broken-token" not in str(info.value)
    assert "broken-token" not in repr(info.value)


def test_a_provider_needs_a_sign_in_first(tmp_path: Path) -> None:
    """Microsoft and Google without a sign-in name the command that signs in; nothing kept."""
    store = TokenStore(tmp_path / "tokens")
    microsoft = Microsoft(user="sam@example.org", client_id="1234-abcd", store=store)
    with pytest.raises(SignInError, match=r"infoview login --provider microsoft --user sam@"):
        microsoft.token()
    google = Google(user="sam@gmail.com", client_secrets="client.json", store=store)
    with pytest.raises(SignInError, match=r"not signed in to Google yet: infoview login"):
        google.token()
    assert not (tmp_path / "tokens").exists()


def test_a_provider_without_its_extra_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where msal or google-auth-oauthlib is not installed, the error says what to install."""
    monkeypatch.setitem(sys.modules, "msal", None)  # Python's own way to make an import fail
    monkeypatch.setitem(sys.modules, "google_auth_oauthlib.flow", None)
    store = TokenStore(tmp_path / "tokens")
    with pytest.raises(SignInError, match=r'pip install "infoview\[microsoft\]"'):
        Microsoft(user="sam@example.org", client_id="1234-abcd", store=store).sign_in()
    with pytest.raises(SignInError, match=r'pip install "infoview\[google\]"'):
        Google(user="sam@gmail.com", client_secrets="client.json", store=store).sign_in()


def test_tokens_go_to_the_keyring_else_to_an_owner_only_file(
    tmp_path: Path, keyring_of_the_test: MemoryKeyring
) -> None:
    """With a keyring, nothing is written to disk; without one, a 0600 file in a 0700 folder."""
    import keyring
    from keyring.backends import fail

    store = TokenStore(tmp_path / "tokens")
    store.save("google:sam", '{"refresh_token": "1//abc"}')
    assert not (tmp_path / "tokens").exists()
    assert '{"refresh_token": "1//abc"}' == store.load("google:sam")
    keyring.set_keyring(fail.Keyring())
    store.save("google:sam", '{"refresh_token": "1//def"}')
    (kept,) = (tmp_path / "tokens").iterdir()
    assert (0o700, 0o600) == (
        (tmp_path / "tokens").stat().st_mode & 0o777,
        kept.stat().st_mode & 0o777,
    )
    assert "sam" not in kept.name
    assert '{"refresh_token": "1//def"}' == store.load("google:sam")
    store.forget("google:sam")
    assert [] == list((tmp_path / "tokens").iterdir())


def test_the_xoauth2_string_is_the_one_providers_expect() -> None:
    """user=…^Aauth=Bearer …^A^A, as Google and Microsoft document it; no control character in."""
    assert "user=sam@example.org\x01auth=Bearer abc\x01\x01" == xoauth2("sam@example.org", "abc")
    with pytest.raises(SignInError, match="control character"):
        xoauth2("sam\x01@example.org", "abc")


def test_send_signin_without_a_sign_in_says_how_on_one_line(tmp_path: Path) -> None:
    """infoview send --signin microsoft before infoview login: one Error line naming the command."""
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    (outbox / "a.eml").write_bytes(outreach(1)[0][1].as_bytes())
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    with mail_server(tls_context=server_context) as (server, port):
        result = run(
            "send", outbox, "--host", "127.0.0.1", "--port", str(port), "--cafile",
            tmp_path / "ca.pem", "--signin", "microsoft", "--user", "sam@example.org",
            "--client", "0f1e-app",
        )  # fmt: skip
    assert 2 == result.exit_code, result.output
    assert (
        "Error: 127.0.0.1: sam@example.org: not signed in to Microsoft yet: infoview login "
        "--provider microsoft --user sam@example.org --client-id 0f1e-app"
    ) in result.output
    assert [] == server.received
