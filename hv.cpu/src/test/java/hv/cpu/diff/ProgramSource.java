package hv.cpu.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders blocks into one assembly program for a static Linux ELF linked at {@link #TEXT} (inside
 * HV's RAM window, so HV can load it physically with Bare translation and qemu-riscv64 runs it as an
 * ordinary static program; pc-relative values such as auipc and jal links are then equal in both).
 *
 * <p>Block k: {@code blk_k} sets s0 = sp = area_k and loads x1..x31, f0..f31 and fcsr from the area's
 * initial record; {@code blk_k_body} is the random items; {@code blk_k_end} stores everything into
 * the final record. After the last block, {@code finish} writes every area to stdout with write(2)
 * and exits with exit(2) status 0 (status 2 if the write came up short).
 *
 * <p>The assembler must not pick instruction sizes: the program is assembled with {@code .option
 * norvc} and every {@code c.*} line is wrapped in {@code .option rvc}, so compressed and full forms
 * appear exactly as generated; linker relaxation is off for the same reason.
 */
final class ProgramSource {
    /** Link address of the text segment (ELF headers, then .text): the start of HV's RAM (GuestRam.DEFAULT_BASE). */
    static final long TEXT = 0x8000_0000L;

    private ProgramSource() {
    }

    static String blockLabel(int ordinal) {
        return "blk_" + ordinal;
    }

    static String bodyLabel(int ordinal) {
        return "blk_" + ordinal + "_body";
    }

    static String endLabel(int ordinal) {
        return "blk_" + ordinal + "_end";
    }

    static String render(List<Block> blocks) {
        StringBuilder s = new StringBuilder(blocks.size() * 8192);
        s.append("\t.option norelax\n\t.option norvc\n\t.text\n\t.globl _start\n_start:\n");
        for (int k = 0; k < blocks.size(); k++) {
            renderBlock(s, k, blocks.get(k));
        }
        s.append("finish:\n");
        s.append("\tli a7, 64\n\tli a0, 1\n\tlla a1, areas\n\tli a2, ").append((long) blocks.size() * Area.SIZE).append('\n');
        s.append("\tecall\n\tli a7, 93\n\tsub a0, a0, a2\n\tsnez a0, a0\n\tslli a0, a0, 1\n\tecall\n");
        // areas start PAGE_CROSSING bytes before a page boundary: even-numbered blocks' scratch spans two pages
        s.append("\n\t.data\n\t.balign 4096\n\t.skip ").append(4096 - Area.PAGE_CROSSING).append("\nareas:\n");
        for (int k = 0; k < blocks.size(); k++) {
            renderArea(s, k, blocks.get(k));
        }
        return s.toString();
    }

    private static void renderBlock(StringBuilder s, int k, Block b) {
        s.append(blockLabel(k)).append(":\n");
        s.append("\tlla s0, area_").append(k).append('\n');
        for (int i = 0; i < 32; i++) {
            s.append("\tfld ").append(Reg.f(i)).append(", ").append(Area.fSlot(Area.INIT, i)).append("(s0)\n");
        }
        s.append("\tld t0, ").append(Area.fcsrSlot(Area.INIT)).append("(s0)\n\tfscsr t0\n");
        for (int i = 1; i < 32; i++) {
            if (i != Reg.SP && i != Reg.BASE) {
                s.append("\tld ").append(Reg.x(i)).append(", ").append(Area.xSlot(Area.INIT, i)).append("(s0)\n");
            }
        }
        s.append("\tmv sp, s0\n");
        s.append(bodyLabel(k)).append(":\n");
        List<Item> pending = new ArrayList<>();
        for (Item it : b.items()) {
            emitLabels(s, k, pending, it.index());
            for (String line : it.lines()) {
                String text = line.replace("%L", targetLabel(k, it));
                boolean rvc = text.startsWith("c.");
                if (rvc) {
                    s.append("\t.option push\n\t.option rvc\n");
                }
                s.append('\t').append(text).append('\n');
                if (rvc) {
                    s.append("\t.option pop\n");
                }
            }
            if (it.isBranch()) {
                pending.add(it);
            }
        }
        emitLabels(s, k, pending, Integer.MAX_VALUE);
        s.append(endLabel(k)).append(":\n");
        for (int i = 1; i < 32; i++) {
            s.append("\tsd ").append(Reg.x(i)).append(", ").append(Area.xSlot(Area.FINAL, i)).append("(s0)\n");
        }
        s.append("\tfrcsr t0\n\tsd t0, ").append(Area.fcsrSlot(Area.FINAL)).append("(s0)\n");
        for (int i = 0; i < 32; i++) {
            s.append("\tfsd ").append(Reg.f(i)).append(", ").append(Area.fSlot(Area.FINAL, i)).append("(s0)\n");
        }
    }

    /** Places the labels of earlier branches whose target is at or before item index {@code upTo}. */
    private static void emitLabels(StringBuilder s, int k, List<Item> pending, int upTo) {
        for (var i = pending.iterator(); i.hasNext();) {
            Item b = i.next();
            if (b.target() <= upTo) {
                s.append(targetLabel(k, b)).append(":\n");
                i.remove();
            }
        }
    }

    private static String targetLabel(int k, Item branch) {
        return ".Lt" + k + "_" + branch.index();
    }

    private static void renderArea(StringBuilder s, int k, Block b) {
        long[] words = new long[Area.SIZE / 8];
        System.arraycopy(b.scratch(), 0, words, 0, b.scratch().length);
        for (int i = 1; i < 32; i++) {
            words[Area.xSlot(Area.INIT, i) / 8] = b.x()[i];
        }
        for (int i = 0; i < 32; i++) {
            words[Area.fSlot(Area.INIT, i) / 8] = b.f()[i];
        }
        words[Area.fcsrSlot(Area.INIT) / 8] = b.fcsr();
        s.append("area_").append(k).append(":\n");
        for (int i = 0; i < words.length; i += 4) {
            s.append("\t.dword ");
            for (int j = 0; j < 4; j++) {
                s.append(j == 0 ? "" : ", ").append("0x").append(Long.toHexString(words[i + j]));
            }
            s.append('\n');
        }
    }
}
