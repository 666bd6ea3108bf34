/** The HTTP / JSON-RPC framing of the sandbox, checked byte for byte against Core's behaviour. */
import Client from "bitcoin-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { call, client, raw } from "./client.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describe("authentication", () => {
  it("answers a wrong password with 401, an empty body and Core's challenge", async () => {
    const r = await raw(sandbox, '{"method":"getblockcount"}', { auth: "bitcoim:wrong" });
    expect(r.status).toBe(401);
    expect(r.text).toBe("");
    expect(r.headers.get("www-authenticate")).toBe('Basic realm="jsonrpc"');
  });

  it("answers a missing Authorization header with 401", async () => {
    const r = await raw(sandbox, '{"method":"getblockcount"}', { auth: null });
    expect(r.status).toBe(401);
    expect(r.text).toBe("");
  });

  it("makes the bitcoin-core client fail with 401 on a wrong password", async () => {
    const wrong = new Client({ host: sandbox.url, username: "bitcoim", password: "nope" });
    await expect(wrong.command("getblockcount")).rejects.toMatchObject({ code: 401 });
  });

  it("uses the defaults bitcoim / bitcoim", () => {
    expect([sandbox.user, sandbox.password]).toEqual(["bitcoim", "bitcoim"]);
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
  });
});

describe("JSON-RPC 1.0", () => {
  it("wraps results with error null and ends the body with a newline", async () => {
    const r = await call(sandbox, "getblockcount", "[]");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.text).toBe('{"result":0,"error":null,"id":1}\n');
  });

  it("answers errors with HTTP 500 and unknown methods with 404", async () => {
    const bad = await call(sandbox, "getblockhash", "[5]");
    expect(bad.status).toBe(500);
    expect(bad.text).toBe(
      '{"result":null,"error":{"code":-8,"message":"Block height out of range"},"id":1}\n',
    );
    const unknown = await call(sandbox, "nosuchmethod", "[]");
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error).toEqual({ code: -32601, message: "Method not found" });
  });

  it("leaves out id when the request had none", async () => {
    const r = await raw(sandbox, '{"jsonrpc":"1.0","method":"getblockcount","params":[]}');
    expect(r.text).toBe('{"result":0,"error":null}\n');
  });
});

describe("JSON-RPC 2.0", () => {
  it("has no error member on success and no result member on error, always HTTP 200", async () => {
    const ok = await raw(sandbox, '{"jsonrpc":"2.0","id":7,"method":"getblockcount"}');
    expect(ok.text).toBe('{"jsonrpc":"2.0","result":0,"id":7}\n');
    const err = await raw(sandbox, '{"jsonrpc":"2.0","id":8,"method":"nosuchmethod","params":[]}');
    expect(err.status).toBe(200);
    expect(err.text).toBe(
      '{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":8}\n',
    );
  });

  it("answers a notification with 204 and no body, even when it fails", async () => {
    for (const method of ["getblockcount", "nosuchmethod"]) {
      const r = await raw(sandbox, `{"jsonrpc":"2.0","method":"${method}","params":[]}`);
      expect(r.status).toBe(204);
      expect(r.text).toBe("");
    }
  });
});

describe("batches and malformed requests", () => {
  it("answers batches with 200, leaving out 2.0 notifications", async () => {
    const r = await raw(
      sandbox,
      '[{"jsonrpc":"2.0","id":"a","method":"getblockcount"},{"jsonrpc":"2.0","method":"getblockcount"},' +
        '{"jsonrpc":"1.0","id":"c","method":"getblockhash","params":[9]}]',
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual([
      { jsonrpc: "2.0", result: 0, id: "a" },
      { result: null, error: { code: -8, message: "Block height out of range" }, id: "c" },
    ]);
    expect((await raw(sandbox, "[]")).text).toBe("[]\n");
  });

  it("serves the bitcoin-core client's batches", async () => {
    const replies = await client(sandbox).command([
      { method: "getblockcount" },
      { method: "getblockhash", parameters: [0] },
      { method: "getblockhash", parameters: [1] },
    ]);
    expect(replies.slice(0, 2)).toEqual([
      0,
      "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
    ]);
    expect(replies[2]).toMatchObject({ code: -8, message: "Block height out of range" });
  });

  it("answers a parse error with -32700 and HTTP 500", async () => {
    const r = await raw(sandbox, '{"jsonrpc":"1.0","id":1,"method":"getblockcount"');
    expect(r.status).toBe(500);
    expect(r.text).toBe(
      '{"result":null,"error":{"code":-32700,"message":"Parse error"},"id":null}\n',
    );
  });

  it("refuses unknown JSON-RPC versions with -32600 and HTTP 400", async () => {
    const r = await raw(sandbox, '{"jsonrpc":"3.0","id":2,"method":"getblockcount"}');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).error).toEqual({
      code: -32600,
      message: "JSON-RPC version not supported",
    });
  });

  it("refuses non-POST requests and unknown paths", async () => {
    expect((await raw(sandbox, "", { method: "GET" })).status).toBe(405);
    expect((await call(sandbox, "getblockcount", "[]", "/nowhere")).status).toBe(404);
  });
});

describe("parameters", () => {
  it("accepts named parameters and rejects unknown names", async () => {
    const named = await call(sandbox, "getblockhash", '{"height":0}');
    expect(JSON.parse(named.text).result).toBe(
      "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
    );
    const unknown = await call(sandbox, "getblockhash", '{"heigth":0}');
    expect(JSON.parse(unknown.text).error).toEqual({
      code: -8,
      message: "Unknown named parameter heigth",
    });
  });

  it("reports wrong types like Core", async () => {
    const r = await call(sandbox, "getblockhash", '["abc"]');
    expect(JSON.parse(r.text).error).toEqual({
      code: -3,
      message:
        'Wrong type passed:\n{\n    "Position 1 (height)": "JSON value of type string is not of expected type number"\n}',
    });
  });

  it("answers a missing required parameter with Core's usage error (-1)", async () => {
    const r = await call(sandbox, "getblockhash", "[]");
    expect(JSON.parse(r.text).error.code).toBe(-1);
  });
});
