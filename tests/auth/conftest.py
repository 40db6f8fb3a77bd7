"""A small CAS server the suite runs itself: the CAS 3.0 protocol's ticket validation
(/cas/p3/serviceValidate) answered with the XML the protocol specifies, on a local port."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import pytest

CAS_NS = "http://www.yale.edu/tp/cas"


def success_xml(user: str, attributes: dict[str, str | list[str]]) -> str:
    """As apereo.github.io/cas/…/CAS-Protocol-Specification (2.5.2 / 2.5.7 "attributes")."""
    lines = []
    for name, value in attributes.items():
        for v in value if isinstance(value, list) else [value]:
            lines.append(f"            <cas:{name}>{escape(v)}</cas:{name}>")
    return (
        f'<cas:serviceResponse xmlns:cas="{CAS_NS}">\n'
        "    <cas:authenticationSuccess>\n"
        f"        <cas:user>{escape(user)}</cas:user>\n"
        "        <cas:attributes>\n"
        "            <cas:authenticationDate>2027-06-25T09:12:31.845Z</cas:authenticationDate>\n"
        "            <cas:longTermAuthenticationRequestTokenUsed>false</cas:longTermAuthenticationRequestTokenUsed>\n"
        "            <cas:isFromNewLogin>true</cas:isFromNewLogin>\n"
        + "\n".join(lines) + "\n"
        "        </cas:attributes>\n"
        "    </cas:authenticationSuccess>\n"
        "</cas:serviceResponse>\n"
    )


def failure_xml(ticket: str) -> str:
    return (
        f'<cas:serviceResponse xmlns:cas="{CAS_NS}">\n'
        '    <cas:authenticationFailure code="INVALID_TICKET">\n'
        f"        Ticket {escape(ticket)} not recognized\n"
        "    </cas:authenticationFailure>\n"
        "</cas:serviceResponse>\n"
    )


@dataclass
class FakeCAS:
    url: str
    tickets: dict[str, tuple[str, dict]] = field(default_factory=dict)
    validations: list[dict[str, str]] = field(default_factory=list)

    def issue(self, ticket: str, user: str, **attributes: str | list[str]) -> str:
        """A service ticket the server will validate once for ``user``."""
        self.tickets[ticket] = (user, attributes)
        return ticket


@pytest.fixture
def cas_server(settings, monkeypatch):
    """The CAS server, and the application's settings pointing at it (CAS on)."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # requests must not go through a proxy
    state: FakeCAS | None = None

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            assert state is not None
            if parts.path != "/cas/p3/serviceValidate":
                self.send_error(404)
                return
            state.validations.append(query)
            ticket = query.get("ticket", "")
            found = state.tickets.pop(ticket, None)  # a service ticket validates once
            body = failure_xml(ticket) if found is None else success_xml(*found)
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/xml;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state = FakeCAS(url=f"http://127.0.0.1:{server.server_address[1]}/cas/")
    settings.CAS_SERVER_URL = state.url
    settings.CAS_VERSION = "3"
    settings.QLIO_CAS_STUDENT_ATTRIBUTE = "supannEtuId"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
