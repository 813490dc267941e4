/** TEMPORARY stub by the hv.cpu developer; the FPU developer owns this package (branch fpu). */
package hv.cpu.fp;
