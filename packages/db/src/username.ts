/**
 * The form under which two usernames are the same: Unicode NFKC, then case
 * folded, which is how a JID node compares (RFC 7622 UsernameCaseMapped).
 * JavaScript has no full case fold; upper- then lower-casing covers the
 * multi-character folds that matter (ß and ẞ → ss, ﬁ → fi, Σ/ς/σ → σ).
 */
export function usernameKey(username: string): string {
  return username.trim().normalize("NFKC").toUpperCase().toLowerCase().normalize("NFKC");
}
