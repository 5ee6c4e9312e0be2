// A throwaway certificate authority and a server certificate for 127.0.0.1, made with openssl
// for a test that runs a TLS nats-server on loopback. The certificate also names localhost: on
// Node, the NATS client (@nats-io/transport-node 3.4) gives the TLS layer no name for a server
// addressed by an IP literal, so Node checks the certificate against "localhost" (reported
// upstream as nats-io/nats.js#303); a server reached by a DNS name is checked against that name.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const OPENSSL_PATH = "/usr/bin/openssl";

/** True when openssl is installed at `/usr/bin/openssl`. */
export function opensslInstalled(): boolean {
  return existsSync(OPENSSL_PATH);
}

/** PEM files written by {@link makeTlsCertificates}. */
export interface TlsCertificates {
  /** The CA's certificate: what a client trusts. */
  readonly caFile: string;
  /** The server's certificate, signed by the CA, valid for IP 127.0.0.1 and localhost. */
  readonly certFile: string;
  /** The server's private key. */
  readonly keyFile: string;
}

function openssl(args: string[]): void {
  execFileSync(OPENSSL_PATH, args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** Writes a new CA and a server certificate for 127.0.0.1 and localhost (P-256 keys, valid one day) into `dir`. */
export function makeTlsCertificates(dir: string): TlsCertificates {
  const file = (name: string) => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(["req", "-x509", ...ec, "-keyout", file("ca-key.pem"), "-out", file("ca.pem"), "-days", "1", "-subj", "/CN=asm test CA"]);
  openssl(["req", ...ec, "-keyout", file("server-key.pem"), "-out", file("server.csr"), "-subj", "/CN=127.0.0.1"]);
  writeFileSync(
    file("server-ext.cnf"),
    "basicConstraints = CA:FALSE\nkeyUsage = digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1, DNS:localhost\n",
  );
  openssl([
    "x509",
    "-req",
    "-in",
    file("server.csr"),
    "-CA",
    file("ca.pem"),
    "-CAkey",
    file("ca-key.pem"),
    "-set_serial",
    "1",
    "-days",
    "1",
    "-extfile",
    file("server-ext.cnf"),
    "-out",
    file("server.pem"),
  ]);
  return { caFile: file("ca.pem"), certFile: file("server.pem"), keyFile: file("server-key.pem") };
}
