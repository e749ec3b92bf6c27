#!/usr/bin/python3
"""A mail server for tests: takes SMTP on 127.0.0.1 and keeps each message.

Listens on a free port and prints it on stdout when ready; stops on SIGTERM.
Each message it takes becomes DIR/N.eml (N = 1, 2, ...), written to a
temporary name and then renamed, so a reader never sees half a message. The
file starts with the envelope:
    X-Envelope-From: <sender>
    X-Envelope-To: <recipient>, <recipient>
followed by the message's bytes as received.

Options make it misbehave the ways real servers do:
    --refuse ADDR...     answers 550 to RCPT TO those addresses
    --defer ADDR...      answers 451 (try again later) to RCPT TO those
    --hang               accepts connections and never says a word
    --drop-after N       drops the connection at the end of DATA, before
                         answering, for the first N messages; then takes them
    --starttls CERT KEY  offers STARTTLS with this certificate (and requires
                         it before AUTH)
    --tls CERT KEY       TLS from the first byte (as on port 465)
    --auth USER:PASS     requires AUTH PLAIN or LOGIN with these credentials
Needs Debian's python3-aiosmtpd.
"""
import argparse
import asyncio
import logging
import os
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, refuse, defer, drop_after):
        self.directory = directory
        self.refuse = {a.lower() for a in refuse}
        self.defer = {a.lower() for a in defer}
        self.drops_left = drop_after
        self.count = 0
        if directory:
            os.makedirs(directory, exist_ok=True)
            self.count = sum(1 for f in os.listdir(directory) if f.endswith(".eml"))

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address.lower() in self.defer:
            return f"451 4.7.1 <{address}>: Recipient address rejected: try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drops_left > 0:
            self.drops_left -= 1
            server.transport.abort()
            return "421 4.4.2 connection dropped"
        self.count += 1
        name = f"{self.count}.eml"
        if self.directory:
            head = (f"X-Envelope-From: <{envelope.mail_from}>\r\n"
                    f"X-Envelope-To: {', '.join('<' + r + '>' for r in envelope.rcpt_tos)}\r\n")
            temporary = os.path.join(self.directory, f".{name}.tmp")
            with open(temporary, "wb") as f:
                f.write(head.encode("utf-8") + envelope.original_content)
                f.flush()
                os.fsync(f.fileno())
            os.rename(temporary, os.path.join(self.directory, name))
        return f"250 2.0.0 OK: queued as {name}"


def tls_context(cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


async def hang(reader, writer):
    await asyncio.Event().wait()


async def main(args):
    loop = asyncio.get_running_loop()
    if args.hang:
        server = await asyncio.start_server(hang, "127.0.0.1", 0)
    else:
        sink = Sink(args.dir, args.refuse, args.defer, args.drop_after)
        authenticator = None
        if args.auth:
            user, _, password = args.auth.partition(":")

            def authenticator(smtp, session, envelope, mechanism, data):
                ok = (isinstance(data, LoginPassword) and data.login.decode() == user
                      and data.password.decode() == password)
                return AuthResult(success=ok, handled=False)

        starttls = tls_context(*args.starttls) if args.starttls else None
        implicit = tls_context(*args.tls) if args.tls else None

        def protocol():
            return SMTP(sink, hostname="sink.test", loop=loop,
                        tls_context=starttls, require_starttls=bool(starttls),
                        authenticator=authenticator, auth_required=bool(args.auth),
                        # On implicit TLS the connection is already encrypted.
                        auth_require_tls=bool(starttls))

        server = await loop.create_server(protocol, "127.0.0.1", 0, ssl=implicit)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    print(server.sockets[0].getsockname()[1], flush=True)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir")
    parser.add_argument("--refuse", nargs="+", default=[])
    parser.add_argument("--defer", nargs="+", default=[])
    parser.add_argument("--hang", action="store_true")
    parser.add_argument("--drop-after", type=int, default=0)
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", metavar="USER:PASS")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    warnings.simplefilter("ignore")
    asyncio.run(main(arguments))
    sys.exit(0)
