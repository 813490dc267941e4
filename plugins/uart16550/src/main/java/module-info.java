/**
 * Device plugin: the NS16550A UART of QEMU virt, the guest console (ttyS0). Sees hv.api and the
 * device-author packages of hv.devices (console input, device queues).
 */
module hv.plugin.uart16550 {
    requires hv.api;
    requires hv.devices;

    provides hv.api.device.DeviceProvider with hv.plugin.uart16550.Uart16550Provider;
}
