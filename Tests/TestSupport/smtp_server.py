#!/usr/bin/python3
"""A real SMTP server on the loopback for DeliveryTests (aiosmtpd, Debian python3-aiosmtpd), and the
parser that reads a message back with Python's email package.

  smtp_server.py serve --dir D [--cert C --key K] [--auth USER:PASS] [--reject-rcpt A]...
                 [--drop-data A]... [--tempfail-data A:N]... [--too-big A]...
      Listens on 127.0.0.1, a free port; prints "READY <port>" when it accepts connections. Every
      message it accepts is stored as D/<n>.eml and D/<n>.json (envelope, TLS, AUTH, parsed summary).
      Faults apply to the named envelope recipients: 550 on RCPT, the connection dropped after the
      message data (before the reply), 451 to the data N times, 552 to the data.
  smtp_server.py parse FILE
      Prints the parsed summary of an .eml as JSON.
"""
import argparse, asyncio, email, email.policy, hashlib, json, os, ssl, sys, warnings

warnings.filterwarnings("ignore")   # aiosmtpd 1.4's own deprecation notes


def summarize(data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    out = {"subject": str(msg["Subject"]), "from": str(msg["From"]), "to": str(msg["To"] or ""),
           "cc": str(msg["Cc"] or ""), "message_id": str(msg["Message-ID"]), "date": str(msg["Date"]),
           "content_type": msg.get_content_type(), "text": None, "html": None, "attachments": [],
           "defects": [str(d) for d in msg.defects]}
    for part in msg.walk():
        if part.is_multipart():
            continue
        out["defects"] += [str(d) for d in part.defects]
        if part.get_content_disposition() == "attachment":
            payload = part.get_payload(decode=True)
            out["attachments"].append({"filename": part.get_filename(), "content_type": part.get_content_type(),
                                       "transfer_encoding": part["Content-Transfer-Encoding"],
                                       "sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)})
        elif part.get_content_type() == "text/plain":
            out["text"] = part.get_content()
        elif part.get_content_type() == "text/html":
            out["html"] = part.get_content()
    return out


def serve(args):
    from aiosmtpd.smtp import SMTP, AuthResult

    rejected, dropped, too_big = set(args.reject_rcpt), set(args.drop_data), set(args.too_big)
    tempfail = {a.rsplit(":", 1)[0]: int(a.rsplit(":", 1)[1]) for a in args.tempfail_data}
    counter = [0]

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address in rejected:
                return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            rcpt = envelope.rcpt_tos[0] if envelope.rcpt_tos else ""
            if rcpt in dropped:
                server.transport.abort()          # the data was received; the reply never goes out
                await asyncio.get_running_loop().create_future()
            if tempfail.get(rcpt, 0) > 0:
                tempfail[rcpt] -= 1
                return "451 4.3.0 Temporary failure, try again later"
            if rcpt in too_big:
                return "552 5.3.4 Message size exceeds fixed limit"
            counter[0] += 1
            n = counter[0]
            data = envelope.original_content or envelope.content
            with open(os.path.join(args.dir, "%03d.eml" % n), "wb") as f:
                f.write(data)
            record = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                      "tls": session.ssl is not None, "authenticated": bool(session.authenticated),
                      "message": summarize(data)}
            tmp = os.path.join(args.dir, "%03d.json.tmp" % n)
            with open(tmp, "w") as f:
                json.dump(record, f)
            os.rename(tmp, os.path.join(args.dir, "%03d.json" % n))
            return "250 2.0.0 Ok: queued as Q%03d" % n

    tls = None
    if args.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)
    authenticator = None
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == user.encode() and auth_data.password == password.encode()
            return AuthResult(success=ok, handled=False)

    def factory():
        return SMTP(Handler(), hostname="test.local", tls_context=tls, require_starttls=tls is not None,
                    authenticator=authenticator, auth_required=authenticator is not None,
                    auth_require_tls=True, decode_data=False)

    async def main():
        server = await asyncio.get_running_loop().create_server(factory, host="127.0.0.1", port=0)
        print("READY %d" % server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().create_future()

    asyncio.run(main())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--dir", required=True)
    s.add_argument("--cert"); s.add_argument("--key"); s.add_argument("--auth")
    for name in ("--reject-rcpt", "--drop-data", "--tempfail-data", "--too-big"):
        s.add_argument(name, action="append", default=[])
    p = sub.add_parser("parse")
    p.add_argument("file")
    args = parser.parse_args()
    if args.command == "parse":
        with open(args.file, "rb") as f:
            json.dump(summarize(f.read()), sys.stdout)
    else:
        serve(args)
