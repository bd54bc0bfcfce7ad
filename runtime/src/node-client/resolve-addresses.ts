import { lookup } from "node:dns/promises";
import type { ParsedTarget, SocketAddress } from "./target.js";

/**
 * Every address `target` names: its literal ones, or each A and AAAA record of its DNS name, in
 * the order the system gives them. Rejects with an Error in plain words when the name does not
 * resolve.
 */
export async function resolveAddresses(target: ParsedTarget): Promise<readonly SocketAddress[]> {
  const dns = target.dns;
  if (dns === null) return target.addresses;
  let records: { address: string }[];
  try {
    records = await lookup(dns.name, { all: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === "ENOTFOUND" ? "no such host" : code === "EAI_AGAIN" ? "the DNS server did not answer" : (code ?? String(error));
    throw new Error(`DNS resolution of ${dns.name} failed: ${why}`);
  }
  if (records.length === 0) throw new Error(`DNS resolution of ${dns.name} failed: it has no addresses`);
  return records.map(({ address }) => ({ host: address, port: dns.port }));
}
