import { freePort, portRange } from './free-port';

describe('freePort', () => {
  const workerId = process.env.JEST_WORKER_ID;
  afterEach(() => {
    jest.restoreAllMocks();
    process.env.JEST_WORKER_ID = workerId;
  });

  it('never hands out a port that fetch and Chromium refuse as a "bad port" (10080)', async () => {
    delete process.env.JEST_WORKER_ID; // the main process: the slice that holds 10080
    const [low, high] = portRange(undefined);
    // The first draw lands on 10080 exactly, later ones in the middle of the range.
    const random = jest
      .spyOn(Math, 'random')
      .mockReturnValueOnce((10_080 - low + 0.5) / (high - low + 1))
      .mockReturnValue(0.5);

    expect(await freePort()).not.toBe(10_080);
    expect(random).toHaveBeenCalledTimes(2);
  });

  it('gives each Jest worker its own ports: two workers never draw the same one', async () => {
    const ranges = [undefined, '1', '2', '3', '4', '5', '6', '7'].map(portRange);
    const sorted = [...ranges].sort(([a], [b]) => a - b);
    sorted.slice(1).forEach(([low], i) => expect(low).toBeGreaterThan(sorted[i]![1]));
    for (const [low, high] of ranges) expect(high - low).toBeGreaterThan(1_000);

    process.env.JEST_WORKER_ID = '3';
    const [low, high] = portRange('3');
    const port = await freePort();
    expect(port).toBeGreaterThanOrEqual(low);
    expect(port).toBeLessThanOrEqual(high);
  });
});
