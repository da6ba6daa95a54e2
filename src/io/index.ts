/**
 * Data in and out: any result {@link Table} as CSV, NPY/NPZ or JSON (whole or streamed), spike
 * records as SONATA and NWB files (HDF5 through h5wasm, loaded on first use), and LIF networks to
 * and from NIR graphs. Works in Node, Deno and browsers (in memory there). See docs/io.md.
 * @packageDocumentation
 */
export { type ByteWriter, MemoryWriter } from './bytes.js';
export {
  type ExportNirOptions,
  exportNir,
  type ImportNirOptions,
  importNir,
  NIR_SUPPORTED,
  NIR_VERSION,
  type NirTimeUnit,
  type NirUnsupported,
} from './nir.js';
export { fromNPY, type NpyArray, type NpyOptions, toNPY } from './npy.js';
export { NWB_VERSION, type NwbTimeSeries, type WriteNwbOptions, writeNwb } from './nwb.js';
export {
  addSonataSources,
  createSonataSink,
  type ReadSonataOptions,
  readSonata,
  type SonataPopulationTable,
  type SonataSinkOptions,
  type SonataSorting,
  type SonataSourceOptions,
  type WriteSonataOptions,
  writeSonata,
} from './sonata.js';
export {
  type ChunkSink,
  type DrainableMonitor,
  type PopulationRange,
  type SpikeRecords,
  type SpikeStream,
  type StreamSpikesOptions,
  spikeTable,
  streamSpikes,
} from './spikes.js';
export {
  type CsvOptions,
  createTableSink,
  type SinkFormat,
  type SinkResult,
  type TableFormat,
  type TableSink,
  type TableSinkOptions,
  tableBytes,
  toCSV,
  toJSONText,
  toNPZ,
  type WriteTableOptions,
  writeTable,
} from './tables.js';
export { crc32, unzipStored } from './zip.js';
