"""A mail server that is down, one that works, and the real queue worker, for the mail tests."""

import email
import email.policy
import signal
import socket
import socketserver
import threading

from django.core.management import call_command


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once, like a dead server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_mailers(port: int) -> dict:
    """MAILERS for plain SMTP to a loopback port, as production's EMAIL_HOST settings build it."""
    options = {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5}
    return {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    }


class SMTPSink(socketserver.ThreadingTCPServer):
    """A tiny SMTP server on loopback that keeps every message it accepts."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SMTPSession)
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.shutdown()
        self.server_close()


class SMTPSession(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 sink ready")
        recipients = []
        while line := self.rfile.readline():
            verb = line[:4].decode().upper()
            if verb in {"HELO", "EHLO", "NOOP", "RSET", "MAIL"}:
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip(" <>\r\n"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                data = []
                while (chunk := self.rfile.readline()) not in {b".\r\n", b""}:
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                message = email.message_from_bytes(b"".join(data), policy=email.policy.default)
                self.server.messages.append(message)
                self.server.recipients.append(recipients)
                recipients = []
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


def run_worker(command: str = "db_worker") -> None:
    """One pass of the real worker (`manage.py db_worker`, or our `worker` around it):
    every task that is due, then exit."""
    # The worker takes over Ctrl-C, SIGTERM and SIGQUIT to stop gracefully; give them back.
    handlers = {
        sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    try:
        if command == "worker":
            call_command("worker", "--", "--batch", "--no-reload", "--no-startup-delay", "-v0")
        else:
            call_command(command, batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
