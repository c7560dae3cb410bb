package providers.dynamics365;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.util.CaseInsensitiveMap;

/**
 * A Web API {@code $batch} on the wire: the {@code multipart/mixed} body of independent requests (no change set, so a
 * refusal leaves the others written), and the answer read back into one {@link DataverseHttp.Answer} per request, in
 * order, change sets' answers in place of their requests.
 */
final class DataverseBatch {

    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(\"[^\"]+\"|[^;\\s]+)");
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: .*)?");

    private DataverseBatch() {
    }

    /** One embedded request: method, absolute URL, headers, JSON body or null. */
    record Request(String method, String url, Map<String, String> headers, String body) {
    }

    /** The body and its Content-Type ({@code multipart/mixed;boundary=batch_<id>}). */
    record Body(String contentType, String text) {
    }

    static Body body(List<Request> requests) {
        String boundary = "batch_" + UUID.randomUUID();
        StringBuilder out = new StringBuilder();
        for (Request request : requests) {
            out.append("--").append(boundary).append("\r\n")
                    .append("Content-Type: application/http\r\n")
                    .append("Content-Transfer-Encoding: binary\r\n\r\n")
                    .append(request.method()).append(' ').append(request.url()).append(" HTTP/1.1\r\n");
            request.headers().forEach((name, value) -> out.append(name).append(": ").append(value).append("\r\n"));
            out.append("\r\n");
            if (request.body() != null) {
                out.append(request.body()).append("\r\n");
            }
        }
        out.append("--").append(boundary).append("--\r\n");
        return new Body("multipart/mixed;boundary=" + boundary, out.toString());
    }

    /**
     * The answers of a batch's requests, in order; fewer than the requests when the batch stopped (or the answer is cut).
     *
     * @throws IllegalArgumentException when the answer is not a multipart batch answer
     */
    static List<DataverseHttp.Answer> answers(String contentType, byte[] body) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).replace("\r\n", "\n");
        List<DataverseHttp.Answer> answers = new ArrayList<>();
        read(text, boundary(contentType), answers);
        return answers;
    }

    private static void read(String text, String boundary, List<DataverseHttp.Answer> answers) {
        for (String part : parts(text, boundary)) {
            Map<String, Object> headers = new CaseInsensitiveMap();
            String content = headers(part, headers);
            String type = String.valueOf(headers.getOrDefault("Content-Type", ""));
            if (type.toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
                read(content, boundary(type), answers);
                continue;
            }
            String response = content.stripLeading();
            int lineEnd = response.indexOf('\n');
            Matcher status = STATUS_LINE.matcher((lineEnd < 0 ? response : response.substring(0, lineEnd)).strip());
            if (!status.matches()) {
                throw new IllegalArgumentException("a part of the batch answer holds no status line");
            }
            Map<String, Object> responseHeaders = new CaseInsensitiveMap();
            String responseBody = lineEnd < 0 ? "" : headers(response.substring(lineEnd + 1), responseHeaders).strip();
            answers.add(new DataverseHttp.Answer(Integer.parseInt(status.group(1)), responseHeaders,
                    responseBody.isEmpty() ? null : responseBody.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static String boundary(String contentType) {
        Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (m == null || !contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/mixed") || !m.find()) {
            throw new IllegalArgumentException("the batch answer is not multipart/mixed with a boundary");
        }
        String boundary = m.group(1);
        return boundary.startsWith("\"") ? boundary.substring(1, boundary.length() - 1) : boundary;
    }

    /** The parts between {@code --boundary} lines; an answer cut short gives the parts it holds. */
    private static List<String> parts(String text, String boundary) {
        String delimiter = "--" + boundary;
        List<String> parts = new ArrayList<>();
        int at = text.startsWith(delimiter) ? 0 : text.indexOf("\n" + delimiter) + 1;
        if (at <= 0 && !text.startsWith(delimiter)) {
            return parts;
        }
        int position = at + delimiter.length();
        while (!text.startsWith("--", position)) {
            int lineEnd = text.indexOf('\n', position);
            int next = lineEnd < 0 ? -1 : text.indexOf("\n" + delimiter, lineEnd);
            if (next < 0) {
                break;
            }
            parts.add(next <= lineEnd ? "" : text.substring(lineEnd + 1, next));
            position = next + 1 + delimiter.length();
        }
        return parts;
    }

    /** Reads header lines into {@code headers}; returns what follows the blank line. */
    private static String headers(String part, Map<String, Object> headers) {
        int end = part.indexOf("\n\n");
        String head = end < 0 ? part : part.substring(0, end);
        for (String line : head.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return end < 0 ? "" : part.substring(end + 2);
    }
}
