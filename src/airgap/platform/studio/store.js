// The Label tab's project kept in this browser (IndexedDB), so that a reload or a closed tab loses
// nothing: one record, the whole project (fields, and per document its file, layout and labels;
// files are kept as Blobs, which IndexedDB stores as they are). It stays on this machine: nothing
// here is sent anywhere. No DOM.

const DATABASE = "airgap-studio";
const STORE = "label";
const KEY = "project";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transact(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

// The saved project ({fields, definitions, docs: [{name, file, ocr, labels}]}), or undefined.
export function load() {
  return transact("readonly", (store) => store.get(KEY));
}

export function save(snapshot) {
  return transact("readwrite", (store) => store.put(snapshot, KEY));
}

export function clear() {
  return transact("readwrite", (store) => store.delete(KEY));
}
