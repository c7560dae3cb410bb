package providers.zoom;

import java.util.regex.Pattern;

/**
 * A WebVTT transcript as plain text: the cues' lines in order, one per line ("Jordan Lee: Thanks for joining"), without
 * the header, cue numbers, timings, NOTE, STYLE and REGION blocks or voice and styling tags ({@code <v Jordan>},
 * {@code <b>}); entities {@code &amp; &lt; &gt; &nbsp;} decoded.
 */
final class ZoomTranscripts {

    private static final Pattern TAG = Pattern.compile("</?[a-zA-Z.][^>]*>|<\\d{2}:[\\d:.]+>");

    private ZoomTranscripts() {
    }

    static String text(String vtt) {
        if (vtt == null) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        String[] blocks = vtt.replace("\r\n", "\n").replace('\r', '\n').split("\n\\s*\n");
        for (int b = 0; b < blocks.length; b++) {
            String block = blocks[b].strip();
            if (block.isEmpty() || (b == 0 && block.startsWith("WEBVTT")) || block.startsWith("NOTE") || block.startsWith("STYLE")
                    || block.startsWith("REGION")) {
                continue;
            }
            String[] lines = block.split("\n");
            int timing = -1;
            for (int i = 0; i < lines.length && i < 2; i++) {
                if (lines[i].contains("-->")) {
                    timing = i;
                    break;
                }
            }
            if (timing < 0) {
                continue;
            }
            for (int i = timing + 1; i < lines.length; i++) {
                String line = decode(TAG.matcher(lines[i]).replaceAll("")).strip();
                if (!line.isEmpty()) {
                    text.append(line).append('\n');
                }
            }
        }
        return text.toString().stripTrailing();
    }

    private static String decode(String line) {
        return line.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ").replace("&lrm;", "").replace("&rlm;", "")
                .replace("&amp;", "&");
    }
}
