package sandbox.dynamics365;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * {@code POST $batch} (OData 4.0 §11.7, as Dataverse serves it): a {@code multipart/mixed} body of
 * {@code application/http} parts, each an embedded request ({@code PATCH <url> HTTP/1.1}, headers, blank line, JSON),
 * and change sets, nested {@code multipart/mixed} parts whose requests succeed or fail together (a failure rolls the
 * org back to before the change set and answers one error part for it). Requests outside a change set are
 * independent: without {@code Prefer: odata.continue-on-error} the batch stops at the first failure and answers with
 * its status; with it, every request is served and the batch answers 200. The answer is {@code multipart/mixed} with a
 * {@code batchresponse_} boundary, one {@code application/http} part per request in order (a change set's in a
 * {@code changesetresponse_} part), as {@code dynamics-web-api}'s {@code executeBatch()} parses it.
 *
 * <p>Service protection: a {@code $batch} is one request of the user's window, whatever it holds, and its execution
 * time (recorded by the controller) is that of all its requests, as Dataverse's service protection counts it (a batch
 * "avoids the number of requests limit" but not the execution time limit); the Power Platform's daily request
 * allocation, which counts each request within a batch, is not modelled. So a test sees what batching saves in calls,
 * and a batch is admitted or refused whole. At most {@value #MAX_REQUESTS} requests per batch, Dataverse's limit. Not
 * served: {@code $<Content-ID>} references and batches within a batch (400, named).
 */
final class BatchRequests {

    /** Dataverse's limit of requests in one batch. */
    static final int MAX_REQUESTS = 1000;
    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(\"[^\"]+\"|[^;\\s]+)");
    private static final Pattern REQUEST_LINE = Pattern.compile("([A-Z]+) (\\S+)(?: HTTP/1\\.[01])?");
    private static final Pattern VERSION = Pattern.compile("v9\\.[0-2]");
    private static final String API = "/api/data/";

    /** Serves one request of the batch as the Web API serves it alone. */
    interface Dispatcher {
        ApiResponse dispatch(String method, String resource, ApiCall call, byte[] body, UnaryOperator<String> header,
                String url);
    }

    /** One embedded request: its Content-ID (change sets), method, resource (below the service root), query, headers, body. */
    private record Request(String contentId, String method, String resource, String query, Map<String, String> headers,
            byte[] body) {
    }

    /** A request on its own, or a change set. */
    private record Item(Request request, List<Request> changeSet) {
    }

    ApiResponse serve(ApiCall call, String contentType, byte[] body, Dispatcher dispatcher) {
        List<Item> items = parse(contentType, body);
        String boundary = "batchresponse_" + UUID.randomUUID();
        StringBuilder out = new StringBuilder();
        HttpStatus status = HttpStatus.OK;
        boolean continueOnError = call.preferences().continueOnError();
        for (Item item : items) {
            HttpStatus failed;
            if (item.request() != null) {
                ApiResponse response = serveOne(call, item.request(), dispatcher);
                appendPart(out, boundary, null, response);
                failed = response.status().isError() ? response.status() : null;
            } else {
                failed = serveChangeSet(call, item.changeSet(), dispatcher, out, boundary);
            }
            if (failed != null && !continueOnError) {
                // the batch answers with the status of the request it stopped at
                status = failed;
                break;
            }
        }
        out.append("--").append(boundary).append("--\r\n");
        ApiResponse response = new ApiResponse(status, out.toString(),
                MediaType.parseMediaType("multipart/mixed; boundary=" + boundary), new LinkedHashMap<>());
        return continueOnError ? response.header("Preference-Applied", "odata.continue-on-error") : response;
    }

    /** A change set's requests in one transaction: their answers nested in a change set part, or the failure alone. */
    private static HttpStatus serveChangeSet(ApiCall call, List<Request> requests, Dispatcher dispatcher, StringBuilder out,
            String boundary) {
        List<ApiResponse> responses;
        try {
            responses = call.org().atomically(() -> {
                List<ApiResponse> served = new ArrayList<>();
                for (Request request : requests) {
                    served.add(dispatch(call, request, dispatcher));
                }
                return served;
            });
        } catch (DataverseApiException e) {
            appendPart(out, boundary, null, error(e));
            return e.status();
        }
        String changeSet = "changesetresponse_" + UUID.randomUUID();
        out.append("--").append(boundary).append("\r\n")
                .append("Content-Type: multipart/mixed; boundary=").append(changeSet).append("\r\n\r\n");
        for (int i = 0; i < requests.size(); i++) {
            appendPart(out, changeSet, requests.get(i).contentId(), responses.get(i));
        }
        out.append("--").append(changeSet).append("--\r\n");
        return null;
    }

    private static ApiResponse serveOne(ApiCall call, Request request, Dispatcher dispatcher) {
        try {
            return dispatch(call, request, dispatcher);
        } catch (DataverseApiException e) {
            return error(e);
        }
    }

    private static ApiResponse dispatch(ApiCall batch, Request request, Dispatcher dispatcher) {
        String prefer = request.headers().get("Prefer");
        ApiCall call = new ApiCall(batch.org(), batch.userId(), batch.base(),
                Preferences.parse(Collections.enumeration(prefer == null ? List.of() : List.of(prefer))),
                QueryOptions.parse(request.query()));
        String url = batch.base() + request.resource() + (request.query() == null ? "" : "?" + request.query());
        return dispatcher.dispatch(request.method(), request.resource(), call, request.body(), request.headers()::get, url);
    }

    private static ApiResponse error(DataverseApiException e) {
        return ApiResponse.json(e.status(), DynamicsSandboxSupport.errorBody(e.code(), e.getMessage()));
    }

    /** One {@code application/http} part: the status line, the answer's headers, its body. */
    private static void appendPart(StringBuilder out, String boundary, String contentId, ApiResponse response) {
        out.append("--").append(boundary).append("\r\n")
                .append("Content-Type: application/http\r\n")
                .append("Content-Transfer-Encoding: binary\r\n");
        if (contentId != null) {
            out.append("Content-ID: ").append(contentId).append("\r\n");
        }
        out.append("\r\n")
                .append("HTTP/1.1 ").append(response.status().value()).append(' ').append(response.status().getReasonPhrase())
                .append("\r\n")
                .append("OData-Version: 4.0\r\n");
        response.headers().forEach((name, value) -> out.append(name).append(": ").append(value).append("\r\n"));
        if (response.body() != null) {
            out.append("Content-Type: ").append(response.type()).append("\r\n\r\n");
            out.append(response.body() instanceof String text ? text
                    : new String(DynamicsSandboxSupport.json(response.body()), StandardCharsets.UTF_8));
        } else {
            out.append("\r\n");
        }
        out.append("\r\n");
    }

    // ------------------------------------------------------------------ parsing

    private static List<Item> parse(String contentType, byte[] body) {
        String boundary = boundary(contentType, "the $batch request's Content-Type");
        // line ends as CRLF or LF alike; JSON bodies hold no raw line ends that matter
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).replace("\r\n", "\n");
        List<Item> items = new ArrayList<>();
        int requests = 0;
        for (String part : parts(text, boundary, "the batch")) {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            String content = headers(part, headers, "a part of the batch");
            String type = headers.getOrDefault("Content-Type", "").toLowerCase(Locale.ROOT);
            if (type.startsWith("multipart/mixed")) {
                List<Request> changeSet = new ArrayList<>();
                String changeSetBoundary = boundary(headers.get("Content-Type"), "a change set's Content-Type");
                for (String inner : parts(content, changeSetBoundary, "a change set")) {
                    Map<String, String> innerHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    String innerContent = headers(inner, innerHeaders, "a part of a change set");
                    Request request = request(innerHeaders, innerContent);
                    if (request.method().equals("GET")) {
                        throw malformed("a change set holds a GET request; GET requests go outside change sets");
                    }
                    changeSet.add(request);
                }
                if (changeSet.isEmpty()) {
                    throw malformed("a change set holds no request");
                }
                requests += changeSet.size();
                items.add(new Item(null, changeSet));
            } else {
                items.add(new Item(request(headers, content), null));
                requests++;
            }
            if (requests > MAX_REQUESTS) {
                throw new DataverseApiException(HttpStatus.BAD_REQUEST, DataverseApiException.INVALID_ARGUMENT,
                        "The batch holds more than " + MAX_REQUESTS + " requests: a $batch holds at most " + MAX_REQUESTS + ".");
            }
        }
        if (items.isEmpty()) {
            throw malformed("the batch holds no request");
        }
        return items;
    }

    /** The {@code boundary} parameter of a {@code multipart/mixed} Content-Type. */
    private static String boundary(String contentType, String what) {
        if (contentType == null || !contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
            throw malformed(what + " must be multipart/mixed with a boundary");
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw malformed(what + " names no boundary");
        }
        String boundary = m.group(1);
        return boundary.startsWith("\"") ? boundary.substring(1, boundary.length() - 1) : boundary;
    }

    /** The parts between {@code --boundary} lines, up to the closing {@code --boundary--}. */
    private static List<String> parts(String text, String boundary, String what) {
        String delimiter = "--" + boundary;
        int at = text.startsWith(delimiter) ? 0 : text.indexOf("\n" + delimiter);
        if (at < 0) {
            throw malformed(what + " has no '" + delimiter + "' line");
        }
        int position = (at == 0 && text.startsWith(delimiter) ? 0 : at + 1) + delimiter.length();
        List<String> parts = new ArrayList<>();
        while (!text.startsWith("--", position)) {
            int lineEnd = text.indexOf('\n', position);
            if (lineEnd < 0 || !text.substring(position, lineEnd).isBlank()) {
                throw malformed(what + " is not closed with a '" + delimiter + "--' line");
            }
            int next = text.indexOf("\n" + delimiter, lineEnd);
            if (next < 0) {
                throw malformed(what + " is not closed with a '" + delimiter + "--' line");
            }
            parts.add(next <= lineEnd ? "" : text.substring(lineEnd + 1, next));
            position = next + 1 + delimiter.length();
        }
        return parts;
    }

    /** Reads a part's header lines into {@code headers}; returns what follows the blank line. */
    private static String headers(String part, Map<String, String> headers, String what) {
        int end = part.indexOf("\n\n");
        String head = end < 0 ? part : part.substring(0, end);
        for (String line : head.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed(what + " has a header line without a name: '" + abbreviated(line) + "'");
            }
            headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        return end < 0 ? "" : part.substring(end + 2);
    }

    /** An {@code application/http} part: request line, headers, blank line, body. */
    private static Request request(Map<String, String> partHeaders, String content) {
        String type = partHeaders.getOrDefault("Content-Type", "");
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/http")) {
            throw malformed("a part's Content-Type is '" + abbreviated(type) + "', not application/http or multipart/mixed");
        }
        String text = content.stripLeading();
        int lineEnd = text.indexOf('\n');
        String line = (lineEnd < 0 ? text : text.substring(0, lineEnd)).strip();
        Matcher m = REQUEST_LINE.matcher(line);
        if (!m.matches()) {
            throw malformed("a part holds no request line such as 'PATCH accounts(<id>) HTTP/1.1': '" + abbreviated(line) + "'");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String body = lineEnd < 0 ? "" : headers(text.substring(lineEnd + 1), headers, "a request of the batch");
        body = body.strip();
        String target = m.group(2);
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? null : target.substring(question + 1);
        return new Request(partHeaders.get("Content-ID"), m.group(1), resource(path), query, headers,
                body.isEmpty() ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The resource below the service root: from an absolute URL, an absolute path, or a path relative to the root. */
    private static String resource(String path) {
        int api = path.indexOf(API);
        String resource;
        if (api >= 0) {
            String rest = path.substring(api + API.length());
            int slash = rest.indexOf('/');
            if (slash < 0 || !VERSION.matcher(rest.substring(0, slash)).matches()) {
                throw malformed("a request's URL names no Web API version v9.0 to v9.2: '" + abbreviated(path) + "'");
            }
            resource = rest.substring(slash + 1);
        } else if (path.startsWith("/") || path.contains("://")) {
            throw malformed("a request's URL is not one of this Web API: '" + abbreviated(path) + "'");
        } else {
            resource = path;
        }
        if (resource.startsWith("$batch")) {
            throw malformed("a batch cannot hold another $batch");
        }
        if (resource.startsWith("$")) {
            throw malformed("the Dynamics 365 sandbox does not resolve Content-ID references such as '" + abbreviated(resource)
                    + "': address the row by its id");
        }
        return resource;
    }

    private static DataverseApiException malformed(String problem) {
        return new DataverseApiException(HttpStatus.BAD_REQUEST, DataverseApiException.INVALID_ARGUMENT,
                "The $batch request is malformed: " + problem + ".");
    }

    /** Request text quoted in an error, kept short. */
    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
