#!/usr/bin/python3
"""
A bitcoIM user on Gajim's own XMPP library (nbxmpp), for the client checks
in gajim.test.ts: the stanzas Gajim sends, read back by Gajim's parsers.

One argument, JSON: host, port, domain, username, password, gateway and a
scenario. "register" fetches the gateway's XEP-0077 form and submits it
with `register_as`; "commands" lists the gateway's ad-hoc commands (XEP-0050),
runs `balance`, then `pay` at `payee` in its two steps; before that it
sends the gateway its presence and checks the entity capabilities
(XEP-0115) of the answer the way Gajim does. Prints one JSON
object: what was seen, or {"error": ...}.
"""
import json
import logging
import os
import sys

from gi.repository import GLib
from nbxmpp.client import Client
from nbxmpp.const import AdHocAction, ConnectionProtocol, ConnectionType
from nbxmpp.modules.dataforms import extend_form
from nbxmpp.protocol import Presence
from nbxmpp.structs import StanzaHandler
from nbxmpp.util import compute_caps_hash

logging.basicConfig(level=logging.INFO if os.environ.get("NBXMPP_LOG") else logging.WARNING)
args = json.loads(sys.argv[1])
loop = GLib.MainLoop()
seen = {}
alive = []
caps_waiters = []


class Ready:
    """What a finished nbxmpp task gives a done-callback, for events we wait on ourselves."""

    def __init__(self, value):
        self.value = value

    def finish(self):
        return self.value


def on_presence(_client, stanza, properties):
    caps = properties.entity_caps
    if str(stanza.getFrom()) == args["gateway"] and caps is not None:
        while caps_waiters:
            caps_waiters.pop()(Ready(caps))


def finish(error=None):
    print(json.dumps({"error": error} if error else seen))
    loop.quit()


def step(generator, value=None):
    """Runs `generator` until its next request; the request's result is sent back in."""
    try:
        start = generator.send(value)
    except StopIteration:
        finish()
        return
    except Exception as error:  # our own reading of what came back failed
        finish(f"{type(error).__name__}: {error}")
        return

    def done(task):
        try:
            result = task.finish()
        except Exception as error:  # a stanza error or a malformed answer, as Gajim sees it
            finish(f"{type(error).__name__}: {error}")
            return
        step(generator, result)

    # nbxmpp holds done-callbacks weakly (Gajim passes bound methods): keep this one alive.
    alive.append(done)
    start(done)


def submitted(form_node, values):
    form = extend_form(node=form_node)
    for var, value in values.items():
        form[var].value = value
    form.type_ = "submit"
    return form


def command_info(command):
    form = extend_form(node=command.data) if command.data is not None else None
    return {
        "node": command.node,
        "status": command.status.value,
        "sessionid": command.sessionid,
        "actions": sorted(a.value for a in command.actions),
        "default": command.default.value if command.default else None,
        "notes": [n.text for n in command.notes],
        "fields": [f.var for f in form.iter_fields()] if form is not None else [],
    }


def register(client):
    module = client.get_module("Register")
    data = yield lambda cb: module.request_register_form(args["gateway"], callback=cb)
    form = data.form or data.fields_form
    seen["form"] = "x-data" if data.form is not None else "fields"
    seen["fields"] = [f.var for f in form.iter_fields()]
    yield lambda cb: module.submit_register_form(
        submitted(form, {"username": args["register_as"]}), args["gateway"], callback=cb
    )
    seen["registered"] = True


def wait_for_caps(client):
    def start(cb):
        caps_waiters.append(cb)
        # Available first, as Gajim is: the server passes presences to the bare JID only then.
        client.send_stanza(Presence())
        client.send_stanza(Presence(to=args["gateway"]))

    return start


def commands(client):
    # Gajim's way: disco#info at node#ver, then the hash recomputed (compare=True raises on a mismatch).
    caps = yield wait_for_caps(client)
    discovery = client.get_module("Discovery")
    node = f"{caps.node}#{caps.ver}"
    info = yield lambda cb: discovery.disco_info(args["gateway"], node=node, callback=cb)
    seen["caps"] = {"hash": caps.hash, "ver": caps.ver, "computed": compute_caps_hash(info)}

    adhoc = client.get_module("AdHoc")
    listed = yield lambda cb: adhoc.request_command_list(args["gateway"], callback=cb)
    seen["gateway"] = [c.node for c in listed]
    balance = next(c for c in listed if c.node == "balance")
    result = yield lambda cb: adhoc.execute_command(balance, callback=cb)
    seen["balance"] = command_info(result)

    listed = yield lambda cb: adhoc.request_command_list(args["payee"], callback=cb)
    seen["payee"] = [c.node for c in listed]
    pay = next(c for c in listed if c.node == "pay")
    first = yield lambda cb: adhoc.execute_command(pay, callback=cb)
    seen["form"] = command_info(first)
    form = submitted(first.data, {"amount": args["amount"], "reason": "nbxmpp"})
    summary = yield lambda cb: adhoc.execute_command(first, first.default, form, callback=cb)
    seen["summary"] = command_info(summary)
    final = yield lambda cb: adhoc.execute_command(
        summary, AdHocAction.COMPLETE, submitted(summary.data, {}), callback=cb
    )
    seen["final"] = command_info(final)


client = Client()
client.set_domain(args["domain"])
client.set_username(args["username"])
client.set_password(args["password"])
client.set_resource("gajim")
client.set_custom_host(f"{args['host']}:{args['port']}", ConnectionProtocol.TCP, ConnectionType.PLAIN)
# The test Prosody hashes passwords with 16 iterations (speed), below nbxmpp's SCRAM floor.
client.set_mechs(["PLAIN"])
client.register_handler(StanzaHandler(name="presence", callback=on_presence))
scenario = {"register": register, "commands": commands}[args["scenario"]]
client.subscribe("connected", lambda *_: step(scenario(client)))
for signal in ("connection-failed", "disconnected"):
    client.subscribe(signal, lambda *_: finish(f"disconnected: {client.get_error()}"))
GLib.timeout_add_seconds(20, lambda: finish("timed out") or False)
client.connect()
loop.run()
