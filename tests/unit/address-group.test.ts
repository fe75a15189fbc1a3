import { describe, expect, it } from 'vitest';
import { addressGroup } from '../../electron/main/link/address-group.ts';

describe('addressGroup: what counts as one address for per-address limits', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::FFFF:192.0.2.7', '192.0.2.7'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0000:0000:0000:0009', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.7', '64:ff9b:0:0::/64'],
  ])('%s is grouped as %s', (address, group) => {
    expect(addressGroup(address)).toBe(group);
  });

  it('puts every address of one /64 in one group, and the next /64 in another', () => {
    const a = addressGroup('2001:db8:aa:bb:1::1');
    expect(addressGroup('2001:db8:aa:bb:ffff:ffff:ffff:ffff')).toBe(a);
    expect(addressGroup('2001:db8:aa:bc::1')).not.toBe(a);
  });
});
