/**
 * Files as the guest sees them: open file descriptions (host files through java.nio, host stdio,
 * in-JVM pipes, eventfds and epoll instances, directories, emulated devices), the descriptor
 * table, the one wake-up source of poll/select/epoll ({@link hv.procvm.fs.Readiness}), stat
 * encodings, errno translation, and the path rule of {@link hv.procvm.fs.FileSystemView} (host file system as is,
 * or a sysroot as the guest's root that no path or link can leave).
 *
 * <p>May touch: java.nio. Must never come in: the CPU, guest memory (callers copy buffers),
 * native code.
 */
package hv.procvm.fs;
