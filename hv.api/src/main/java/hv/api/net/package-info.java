/**
 * The network backend SPI: the frontend (a virtio-net device) and the backend (a socket, a switch
 * port, ...) meet here, so each can be a plugin. Frames are whole Ethernet frames without FCS.
 * Backends run on their own threads (Netty event loops); they hand frames to the frontend
 * through {@link hv.api.net.FrameSink}, which must not block, and never touch guest memory.
 */
package hv.api.net;
