#!/bin/sh
# Writes the test disk the virtio programs expect to FILE: 64 sectors of
# zeros with "mica disk image\n" at the start of sector 0.
# (tests/virtio/virtio.test.ts builds the same image in TypeScript.)
set -e
dd if=/dev/zero of="$1" bs=512 count=64 status=none
printf 'mica disk image\n' | dd of="$1" conv=notrunc status=none
