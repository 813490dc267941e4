/**
 * The configuration of a VM as the user gave it (command line), before anything is built.
 *
 * <p>May touch: java.base only. Must never come in: anything that builds or runs the VM.
 */
package hv.api.config;
