/**
 * Network benchmarks (mains, not unit tests): {@link hv.bench.net.SwitchBench} measures how many
 * small frames per second {@code hv switch} forwards between clients on loopback. Uses only
 * plain JDK sockets on the client side, so the figure is the switch's, not a client library's.
 */
package hv.bench.net;
