package api.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

import api.ApiErrors;
import api.ApiException;
import hub.RefusalException;

/**
 * The console pages' common model (the CSRF token), and their refusals. A console request the hub refuses shows the refusal on a page (the API's own message, so a field's 400 names the
 * field), with the API's status; ahead of the REST API's JSON error bodies.
 */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ConsoleErrors {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleErrors.class);

    /** Every console page's forms carry the session's CSRF token. */
    @ModelAttribute("csrf")
    String csrf(HttpServletRequest request) {
        jakarta.servlet.http.HttpSession session = request.getSession(false);
        return session == null ? "" : ConsoleAccessFilter.csrfToken(session);
    }

    @ExceptionHandler(ConsoleRefusal.class)
    String refused(ConsoleRefusal e, HttpServletRequest request, HttpServletResponse response, Model model) {
        return page(e.status(), e.getMessage(), request, response, model);
    }

    @ExceptionHandler(ApiException.class)
    String refused(ApiException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        return page(e.status(), e.getMessage(), request, response, model);
    }

    @ExceptionHandler(RefusalException.class)
    String refused(RefusalException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        return page(ApiErrors.status(e), e.getMessage(), request, response, model);
    }

    /** Anything else: logged here, and the person told only that it failed. */
    @ExceptionHandler(Exception.class)
    String failed(Exception e, HttpServletRequest request, HttpServletResponse response, Model model) {
        LOG.error("Console request {} {} failed", request.getMethod(), request.getRequestURI(), e);
        return page(HttpStatus.INTERNAL_SERVER_ERROR, "the hub could not answer this page; its log has the details", request, response, model);
    }

    private static String page(HttpStatus status, String message, HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setStatus(status.value());
        model.addAttribute("status", status.value());
        model.addAttribute("reason", status.getReasonPhrase());
        model.addAttribute("message", message);
        model.addAttribute("user", request.getAttribute(ConsoleUser.SESSION_ATTRIBUTE));
        jakarta.servlet.http.HttpSession session = request.getSession(false);
        model.addAttribute("csrf", session == null ? "" : ConsoleAccessFilter.csrfToken(session));
        model.addAttribute("back", request.getHeader("Referer") == null ? ConsoleAccessFilter.PREFIX : request.getHeader("Referer"));
        return "console/refused";
    }
}
