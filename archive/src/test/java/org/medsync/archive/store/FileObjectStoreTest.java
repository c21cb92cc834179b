package org.medsync.archive.store;

/** The object store contract, in a directory. */
class FileObjectStoreTest extends ObjectStoreContract {
    @Override
    ObjectStore newStore() throws Exception {
        return new FileObjectStore(temp.resolve("objects"));
    }
}
