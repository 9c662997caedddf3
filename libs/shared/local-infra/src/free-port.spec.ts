import { readFileSync } from 'node:fs';
import { freePort } from './free-port';

describe('freePort', () => {
  afterEach(() => jest.restoreAllMocks());

  it('never hands out a port that fetch and Chromium refuse as a "bad port" (10080)', async () => {
    const rangeStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const drawable = (rangeStart > 20_000 ? rangeStart : 32_768) - 10_000;
    // The first draw lands on 10080 exactly, later ones in the middle of the range.
    const random = jest
      .spyOn(Math, 'random')
      .mockReturnValueOnce(80.5 / drawable)
      .mockReturnValue(0.5);

    expect(await freePort()).not.toBe(10_080);
    expect(random).toHaveBeenCalledTimes(2);
  });
});
