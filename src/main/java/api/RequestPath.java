package api;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The path a request is routed by, as the servlet container decoded and normalised it (no {@code ;} parameters, no
 * {@code %xx} escapes, no {@code ..}): the path every access decision must look at. The raw request URI is not:
 * {@code /api;x/admin/audit} and {@code /%61pi/admin/audit} reach the same controller as {@code /api/admin/audit}.
 */
public final class RequestPath {

    private RequestPath() {
    }

    public static String of(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }
}
