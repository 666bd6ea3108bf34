/** The gateway configuration the benches run with, written as an operator would. */
export function gatewayToml(o: {
  domain: string;
  secret: string;
  componentService: string;
  databaseUrl: string;
  sandbox: { url: string; user: string; password: string };
  stateDir: string;
  /** Extra `[gateway]` lines. */
  gateway?: string[];
}): string {
  return `[xmpp]
jid = "${o.domain}"
secret = "${o.secret}"
host = "127.0.0.1"
port = ${new URL(o.componentService).port}

[database]
url = "${o.databaseUrl}"

[bitcoin]
network = "regtest"
url = "${o.sandbox.url}"
user = "${o.sandbox.user}"
password = "${o.sandbox.password}"
wallet = "gw"

[gateway]
log_level = "warning"
state_dir = "${o.stateDir}"
${(o.gateway ?? []).join("\n")}
`;
}
