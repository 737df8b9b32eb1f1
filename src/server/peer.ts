// Client addresses as people write them: an IPv4 client of a dual-stack socket is shown as IPv4.
export function peerAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
