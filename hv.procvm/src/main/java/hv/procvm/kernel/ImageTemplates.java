package hv.procvm.kernel;

import hv.cpu.elf.ElfException;
import hv.cpu.elf.ElfFile;
import hv.procvm.loader.ElfLoader;
import hv.procvm.mem.AddressSpace;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loaded program images, kept as template address spaces: the program (and its ELF interpreter)
 * mapped, the signal trampoline, the stack and brk layout, but no stack contents. An execve of a
 * recent program forks its template instead of loading the file again: the read-only pages
 * (text, constants) share the template's frames, the writable ones (data) are copied. So a shell
 * pipeline does not copy busybox's 1.5 MiB of text per command, and every process runs the same
 * physical text frames, whose decoded instructions a reused hart still has.
 *
 * <p>Bounded (least recently used first); an evicted template releases its frames.
 */
final class ImageTemplates {
    static final int MAX_TEMPLATES = 4;

    /** The program and interpreter are identified by their parsed files (see {@link ImageCache}). */
    private record Key(ElfFile program, ElfFile interp, String name, String interpName) {
    }

    /** A template and where its images landed. */
    record Template(AddressSpace as, ElfLoader.Mapped main, ElfLoader.Mapped interp) {
    }

    @FunctionalInterface
    interface Builder {
        Template build() throws ElfException;
    }

    /** Access order: the first entry is the least recently used. */
    private final LinkedHashMap<Key, Template> templates = new LinkedHashMap<>(8, 0.75f, true);
    private final Kernel k;
    private long hits;
    private long misses;

    ImageTemplates(Kernel k) {
        this.k = k;
    }

    /**
     * A fresh address space holding the images: a fork of the cached template, or of one built
     * now by {@code builder}. The template itself is never run or written.
     */
    synchronized Instance instantiate(ElfFile program, ElfFile interp, String name, String interpName, Builder builder)
            throws ElfException {
        Key key = new Key(program, interp, name, interpName);
        Template t = templates.get(key);
        if (t == null) {
            misses++;
            t = builder.build();
            templates.put(key, t);
            if (templates.size() > MAX_TEMPLATES) {
                Map.Entry<Key, Template> eldest = templates.pollFirstEntry();
                eldest.getValue().as().destroy();
            }
        } else {
            hits++;
        }
        return new Instance(t.as().fork(k.newAsid()), t.main(), t.interp());
    }

    /** An address space made from a template, and where its images are. */
    record Instance(AddressSpace as, ElfLoader.Mapped main, ElfLoader.Mapped interp) {
    }

    /** Releases every template (and so its frames). */
    synchronized void clear() {
        for (Template t : templates.values()) {
            t.as().destroy();
        }
        templates.clear();
    }

    synchronized String stats() {
        return "exec templates: hits=" + hits + " misses=" + misses;
    }
}
