import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

export default {
  input: { index: 'src/index.ts', worker: 'src/worker.ts' },
  output: { dir: 'dist', format: 'es', sourcemap: true },
  // node:worker_threads is only imported dynamically, and only under Node. h5wasm is a dependency
  // loaded on the first HDF5 call (src/io/hdf5.ts), never bundled.
  external: [/^node:/, /^h5wasm(\/|$)/],
  plugins: [nodeResolve({ browser: true, preferBuiltins: false }), commonjs(), typescript({ tsconfig: './tsconfig.json' })],
};
