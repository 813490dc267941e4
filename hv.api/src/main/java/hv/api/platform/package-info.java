/**
 * The links between platform devices (interrupt controllers, timers, the test/syscon device) and
 * the rest of the machine, stated as interfaces so that hv.devices never depends on hv.cpu:
 * hv.hosts plugs a hart behind each {@link hv.api.platform.HartLink}.
 */
package hv.api.platform;
