// The kernel's driver for the RISC-V PLIC (seL4/seL4:
// include/drivers/irq/riscv_plic0.h): the kernel owns hart 0's S-mode
// context, as seL4 does, and reaches the controller through its registers.
//
//   0x000000 + 4*irq              priority of source irq
//   0x001000 + 4*w                pending bits, sources 32w..32w+31
//   0x002000 + 0x80*ctx + 4*w     enable bits of context ctx
//   0x200000 + 0x1000*ctx         threshold of context ctx
//   0x200004 + 0x1000*ctx         claim (read) / complete (write)

/** The PLIC's registers as the kernel sees them (the machine's PLIC model is one). */
export interface PlicRegisters {
  load(offset: number, size: number): number;
  store(offset: number, size: number, value: number): void;
}

/** Sources 1..PLIC_MAX_IRQ (QEMU virt: 95). */
export const PLIC_MAX_IRQ = 95;
/** Hart 0's supervisor context (seL4's PLIC_SVC_CONTEXT on hart 0). */
const SVC_CONTEXT = 1;
/** seL4 gives every source the same priority, above the zero threshold. */
const SOURCE_PRIORITY = 2;

const PRIORITY = 0x0;
const PENDING = 0x1000;
const ENABLE = 0x2000 + 0x80 * SVC_CONTEXT;
const THRESHOLD = 0x200000 + 0x1000 * SVC_CONTEXT;
const CLAIM = THRESHOLD + 4;

function isPending(plic: PlicRegisters, irq: number): boolean {
  return ((plic.load(PENDING + 4 * (irq >>> 5), 4) >>> (irq & 31)) & 1) !== 0;
}

/** The claimed source, 0 when none is pending (seL4's plic_get_claim). */
export function plicGetClaim(plic: PlicRegisters): number {
  return plic.load(CLAIM, 4);
}

/** Ends the claim of irq; the source may interrupt again (plic_complete_claim). */
export function plicCompleteClaim(plic: PlicRegisters, irq: number): void {
  plic.store(CLAIM, 4, irq);
}

/** Disables or enables irq for the kernel's context (plic_mask_irq). */
export function plicMaskIrq(plic: PlicRegisters, disable: boolean, irq: number): void {
  const at = ENABLE + 4 * (irq >>> 5);
  const bit = 1 << (irq & 31);
  const v = plic.load(at, 4);
  plic.store(at, 4, disable ? v & ~bit : v | bit);
}

/**
 * Boot: drain pending sources, give each source the same priority, mask
 * them all and open the threshold (plic_init_controller + plic_init_hart).
 */
export function plicInit(plic: PlicRegisters): void {
  for (let irq = 1; irq <= PLIC_MAX_IRQ; irq++) {
    if (isPending(plic, irq)) plicCompleteClaim(plic, plicGetClaim(plic));
  }
  for (let irq = 1; irq <= PLIC_MAX_IRQ; irq++) {
    plic.store(PRIORITY + 4 * irq, 4, SOURCE_PRIORITY);
    plicMaskIrq(plic, true, irq);
  }
  plic.store(THRESHOLD, 4, 0);
}
