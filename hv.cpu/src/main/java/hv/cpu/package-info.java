/**
 * The RV64GC hart: decode, interpreter, CSRs, privilege levels, traps and exits to the VMM.
 *
 * <p>May touch: hv.api and hv.memory. Must never come in: devices, hosts, threads of its own
 * (the VMM decides which host thread runs a hart), allocation or locks on the execute path.
 */
package hv.cpu;
