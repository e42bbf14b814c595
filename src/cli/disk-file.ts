// The host side of `--disk FILE`: a disk image file as the machine's
// BlockBackend. Reads and writes go to the file at their offsets, so a large
// image is never read whole. Without --disk-write the file is opened
// read-only under a copy-on-write overlay, so the guest's writes stay in
// memory and the user's file is unchanged.

import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import { type BlockBackend, CopyOnWriteBackend } from "../machine/devices/block-backend.js";
import { SECTOR_SIZE } from "../machine/devices/virtio-blk.js";
import { UsageError } from "./usage-error.js";

/** A file read and written in place; flush() is fsync. */
export class FileBackend implements BlockBackend {
  constructor(
    readonly fd: number,
    readonly sizeBytes: number,
  ) {}

  read(offset: number, dst: Uint8Array): boolean {
    try {
      let done = 0;
      while (done < dst.length) {
        const n = readSync(this.fd, dst, done, dst.length - done, offset + done);
        if (n === 0) return false; // the file shrank under us
        done += n;
      }
      return true;
    } catch {
      return false;
    }
  }

  write(offset: number, src: Uint8Array): boolean {
    try {
      let done = 0;
      while (done < src.length) {
        done += writeSync(this.fd, src, done, src.length - done, offset + done);
      }
      return true;
    } catch {
      return false;
    }
  }

  flush(): boolean {
    try {
      fsyncSync(this.fd);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface DiskImage {
  backend: BlockBackend;
  file: FileBackend;
}

/**
 * Opens `path` as a disk: writable in place with `write`, else under a
 * copy-on-write overlay. A missing, unreadable or non-regular file, or one
 * whose size is not a whole number of 512-byte sectors, is a UsageError.
 */
export function openDiskImage(path: string, write: boolean): DiskImage {
  let fd: number;
  try {
    fd = openSync(path, write ? "r+" : "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`--disk ${path}: no such file`);
    if (code === "EISDIR") throw new UsageError(`--disk ${path}: is a directory`);
    throw new UsageError(`--disk ${path}: cannot open (${code ?? "error"})`);
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new UsageError(
      `--disk ${path}: ${st.isDirectory() ? "is a directory" : "not a regular file"}`,
    );
  }
  if (st.size % SECTOR_SIZE !== 0) {
    closeSync(fd);
    throw new UsageError(
      `--disk ${path}: size ${st.size} is not a multiple of ${SECTOR_SIZE} bytes`,
    );
  }
  const file = new FileBackend(fd, st.size);
  return { backend: write ? file : new CopyOnWriteBackend(file), file };
}
