// Table exporters against outside references: CRC-32's published check value, NumPy reading
// every dtype and a 2-D shape bit for bit, NumPy's own savez archives read by our ZIP reader,
// and the contract's errors (unknown option with a suggestion, chunks that change columns).
import { describe, expect, test } from 'vitest';
import * as nd from '../../src/index.js';
import { hex, py, pythonMissing, tempDir } from './helpers.js';

const { io } = nd;
const missing = pythonMissing();
const why = missing ? ` (skipped: ${missing})` : '';

const all = () =>
  nd.makeTable(
    'test.dtypes',
    {
      f8: { data: Float64Array.of(0.1, -1 / 3, 1e-300, Number.MAX_VALUE), unit: 'ms', description: 'f64' },
      f4: { data: Float32Array.of(0.1, -2.5, 3e38, 1e-40), unit: 'Hz', description: 'f32' },
      i4: { data: Int32Array.of(-2147483648, -1, 0, 2147483647), unit: '', description: 'i32' },
      u4: { data: Uint32Array.of(0, 1, 4294967295, 7), unit: '', description: 'u32' },
      i2: { data: Int16Array.of(-32768, 0, 1, 32767), unit: '', description: 'i16' },
      u2: { data: Uint16Array.of(0, 65535, 2, 3), unit: '', description: 'u16' },
      i1: { data: Int8Array.of(-128, 127, 0, -1), unit: '', description: 'i8' },
      u1: { data: Uint8Array.of(0, 255, 1, 2), unit: '', description: 'u8' },
    },
    { seed: 7 },
  );

describe('encoders', () => {
  test('CRC-32 of "123456789" is the published check value 0xCBF43926', () => {
    expect(io.crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  test('CSV: header with units, quoting, exact numbers; JSON keeps units and meta', () => {
    const t = nd.makeTable(
      'x',
      {
        time: { data: Float64Array.of(0.1 + 0.2, 1e21), unit: 'ms', description: '' },
        'a,b': { data: Int32Array.of(1, 2), unit: '', description: '' },
      },
      { dt: 0.1 },
    );
    expect(io.toCSV(t)).toBe('time (ms),"a,b"\n0.30000000000000004,1\n1e+21,2\n');
    expect(io.toCSV(t, { meta: true }).split('\n').slice(0, 2)).toEqual(['# kind: x', '# dt: 0.1']);
    expect(JSON.parse(io.toJSONText(t))).toMatchObject({ kind: 'x', units: { time: 'ms' }, meta: { dt: 0.1 } });
  });

  test('NPY round trip through fromNPY for every dtype; unknown options suggest the right name', () => {
    const t = all();
    for (const n of t.columnNames()) {
      const a = t.column(n).data;
      const back = io.fromNPY(io.toNPY(a));
      expect(back.shape).toEqual([4]);
      expect(back.data).toEqual(a);
    }
    const m = io.fromNPY(io.toNPY(Float64Array.of(1, 2, 3, 4, 5, 6), { shape: [2, 3] }));
    expect(m.shape).toEqual([2, 3]);
    expect(() => io.toNPY(Float64Array.of(1, 2, 3), { shape: [2, 2] })).toThrow(
      /options\.shape: expected dimensions whose product is the data length 3/,
    );
    expect(() => io.toCSV(t, { metadata: true } as never)).toThrow(/unknown option 'metadata' for toCSV; did you mean 'meta'\?/);
  });

  test('a sink refuses a chunk whose columns differ from the first', async () => {
    const sink = await io.createTableSink({ format: 'csv' });
    sink.write(all());
    const other = nd.makeTable('y', { f8: { data: Float64Array.of(1), unit: 'ms', description: '' } });
    expect(() => sink.write(other)).toThrow(/chunk: expected a table with columns f8, f4/);
    const r = sink.close();
    expect(new TextDecoder().decode(r.bytes).split('\n')[0]).toBe('f8 (ms),f4 (Hz),i4,u4,i2,u2,i1,u1');
  });
});

describe.skipIf(missing !== null)(`NumPy reads what we write and we read what NumPy writes${why}`, () => {
  test('NPZ: every dtype and value bit for bit; an NPY sink in memory returns an NPZ of every chunk', async () => {
    const t = all();
    const dir = tempDir();
    await io.writeTable(t, `${dir}/all.npz`);
    const r = py<Record<string, [string, string]>>(
      `import sys, json, numpy as np
z = np.load(sys.argv[1])
print(json.dumps({k: [z[k].dtype.str, z[k].tobytes().hex()] for k in z.files if k.endswith('.json') is False}))`,
      `${dir}/all.npz`,
    );
    const dt: Record<string, string> = { f8: '<f8', f4: '<f4', i4: '<i4', u4: '<u4', i2: '<i2', u2: '<u2', i1: '|i1', u1: '|u1' };
    for (const n of t.columnNames()) expect(r[n]).toEqual([dt[n], hex(t.column(n).data)]);
    const sink = await io.createTableSink({ format: 'npy' });
    sink.write(t);
    sink.write(t);
    const streamed = io.unzipStored(sink.close().bytes!);
    expect(io.fromNPY(streamed.get('i4.npy')!).data).toEqual(Int32Array.of(-2147483648, -1, 0, 2147483647, -2147483648, -1, 0, 2147483647));
  });

  test('unzipStored + fromNPY read an archive written by numpy.savez (2-D, f8 and i4)', async () => {
    const dir = tempDir();
    py(
      `import sys, json, numpy as np
np.savez(sys.argv[1], a=np.arange(6, dtype='<f8').reshape(2, 3) / 7, b=np.array([-5, 9], dtype='<i4'))
print('0')`,
      `${dir}/np.npz`,
    );
    const { readFileSync } = await import('node:fs');
    const z = io.unzipStored(new Uint8Array(readFileSync(`${dir}/np.npz`)));
    const a = io.fromNPY(z.get('a.npy')!);
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([0, 1, 2, 3, 4, 5].map((x) => x / 7));
    expect(io.fromNPY(z.get('b.npy')!).data).toEqual(Int32Array.of(-5, 9));
  });
});
