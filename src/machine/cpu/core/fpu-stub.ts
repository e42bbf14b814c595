export let fflags: u32 = 0;
export let frm: u32 = 0;
export function setFflags(v: u32): void { fflags = v; }
export function setFrm(v: u32): void { frm = v; }
export function execFp(inst: u32): bool { return false; }
