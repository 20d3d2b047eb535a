// A zip archive made in the browser, entries stored as they are (no compression): the Label page
// zips a project's files for the shared mount and for documentModels:build's base64Source.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// MS-DOS date and time, the only clock a plain zip header has.
function dosStamp(when) {
  return {
    time: (when.getHours() << 11) | (when.getMinutes() << 5) | (when.getSeconds() >> 1),
    date: ((Math.max(1980, when.getFullYear()) - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate(),
  };
}

// entries: [{name, bytes: Uint8Array}] -> a Blob of type application/zip. Names are UTF-8 (flag bit 11).
export function zip(entries, when = new Date()) {
  const encoder = new TextEncoder();
  const { time, date } = dosStamp(when);
  const body = [];
  const directory = [];
  let offset = 0;
  for (const { name, bytes } of entries) {
    const encoded = encoder.encode(name);
    const crc = crc32(bytes);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true); // version needed: 2.0
    local.setUint16(6, 0x0800, true);
    local.setUint16(10, time, true);
    local.setUint16(12, date, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, bytes.length, true);
    local.setUint32(22, bytes.length, true);
    local.setUint16(26, encoded.length, true);
    body.push(new Uint8Array(local.buffer), encoded, bytes);
    const central = new DataView(new ArrayBuffer(46));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, 20, true);
    central.setUint16(6, 20, true);
    central.setUint16(8, 0x0800, true);
    central.setUint16(12, time, true);
    central.setUint16(14, date, true);
    central.setUint32(16, crc, true);
    central.setUint32(20, bytes.length, true);
    central.setUint32(24, bytes.length, true);
    central.setUint16(28, encoded.length, true);
    central.setUint32(42, offset, true);
    directory.push(new Uint8Array(central.buffer), encoded);
    offset += 30 + encoded.length + bytes.length;
  }
  const size = directory.reduce((n, part) => n + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, size, true);
  end.setUint32(16, offset, true);
  return new Blob([...body, ...directory, new Uint8Array(end.buffer)], { type: "application/zip" });
}

// A Blob as base64 text (what a JSON body carries), without building one huge string by hand.
export function base64(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(",") + 1));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

// ---- reading ------------------------------------------------------------------------------------

const END_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

// The files of a zip (a project saved here, or zipped by another tool): [{name, bytes}], names
// as written in the archive (folders kept), folder entries left out. Stored and deflated entries
// are read (deflate by the browser's DecompressionStream); anything else, an encrypted entry, a
// zip64 archive or a broken one throws an Error whose message says which.
export async function unzip(blob) {
  const data = new Uint8Array(await blob.arrayBuffer());
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const end = findEnd(view);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (count === 0xffff || at === 0xffffffff) throw new Error("it is a zip64 archive, which this page does not read");
  const decoder = new TextDecoder();
  const out = [];
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > data.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw new Error("its file list is damaged (the archive is cut short or not a zip)");
    }
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const packed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const offset = view.getUint32(at + 42, true);
    const name = decoder.decode(data.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (name.endsWith("/")) continue;
    if (flags & 1) throw new Error(`${name} is encrypted`);
    if (offset + 30 > data.length || view.getUint32(offset, true) !== LOCAL_SIGNATURE) {
      throw new Error(`${name}: its entry is damaged (the archive is cut short)`);
    }
    const start = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
    if (start + packed > data.length) throw new Error(`${name}: the archive is cut short`);
    const stored = data.subarray(start, start + packed);
    let bytes;
    if (method === 0) bytes = stored;
    else if (method === 8) bytes = await inflate(stored, name);
    else throw new Error(`${name} is compressed with method ${method}; only stored and deflated entries are read`);
    if (bytes.length !== size || crc32(bytes) !== crc) throw new Error(`${name} is damaged (its checksum does not match)`);
    out.push({ name, bytes });
  }
  return out;
}

// The end-of-central-directory record: the last 22 bytes, or earlier when a comment follows it.
function findEnd(view) {
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 0xffff); at -= 1) {
    if (view.getUint32(at, true) === END_SIGNATURE) return at;
  }
  throw new Error("it is not a zip archive, or it is cut short (no end of archive record)");
}

async function inflate(bytes, name) {
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    throw new Error(`${name} is damaged (its deflated data does not decompress)`);
  }
}
