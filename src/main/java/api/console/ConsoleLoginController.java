package api.console;

import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

import api.ApiKeyFilter;
import security.Caller;
import store.AuditLog;
import store.TenantStore;

/**
 * Signing in to the console with the admin key or a tenant key, once: the session (a new id, so a session planted
 * before sign-in is worth nothing) remembers who it is, until sign-out or {@code hub.console.session-timeout} idle.
 * The administrator picks the tenant to look at.
 */
@Controller
public class ConsoleLoginController {

    private final ApiKeyFilter keys;
    private final TenantStore tenants;
    private final AuditLog audit;
    private final int idleSeconds;

    public ConsoleLoginController(ApiKeyFilter keys, TenantStore tenants, AuditLog audit,
                                  @Value("${hub.console.session-timeout}") String idle) {
        this.keys = keys;
        this.tenants = tenants;
        this.audit = audit;
        this.idleSeconds = (int) DurationStyle.detectAndParse(idle).toSeconds();
    }

    @GetMapping(ConsoleAccessFilter.LOGIN)
    public String form(HttpServletRequest request, @RequestParam(required = false) String next, Model model) {
        model.addAttribute("csrf", ConsoleAccessFilter.csrfToken(request.getSession(true)));
        model.addAttribute("next", ConsoleAccessFilter.safeNext(next));
        return "console/login";
    }

    @PostMapping(ConsoleAccessFilter.LOGIN)
    public String signIn(HttpServletRequest request, @RequestParam(required = false) String key,
                         @RequestParam(required = false) String next, Model model, jakarta.servlet.http.HttpServletResponse response) {
        Optional<Caller> caller = key == null || key.isBlank() ? Optional.empty() : keys.identify(key.trim());
        if (caller.isEmpty()) {
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            model.addAttribute("csrf", ConsoleAccessFilter.csrfToken(request.getSession(true)));
            model.addAttribute("next", ConsoleAccessFilter.safeNext(next));
            model.addAttribute("error", key == null || key.isBlank() ? "key: required" : "key: not a valid admin or tenant key");
            return "console/login";
        }
        request.changeSessionId();
        HttpSession session = request.getSession();
        session.removeAttribute(ConsoleAccessFilter.CSRF_ATTRIBUTE);
        ConsoleAccessFilter.csrfToken(session);
        session.setMaxInactiveInterval(idleSeconds);
        Caller c = caller.get();
        session.setAttribute(ConsoleUser.SESSION_ATTRIBUTE, new ConsoleUser(c.admin(), c.tenantId(), c.keyId()));
        audit.record(c.tenantId(), c.actor(), "console.sign-in", "console", null, null);
        return "redirect:" + ConsoleAccessFilter.safeNext(next);
    }

    @PostMapping(ConsoleAccessFilter.PREFIX + "/logout")
    public String signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        return "redirect:" + ConsoleAccessFilter.LOGIN;
    }

    /** The administrator looks at another tenant (tenants cannot: 403). */
    @PostMapping(ConsoleAccessFilter.PREFIX + "/tenant")
    public String switchTenant(HttpServletRequest request, @RequestParam String tenantId, Model model) {
        ConsoleUser user = (ConsoleUser) request.getAttribute(ConsoleUser.SESSION_ATTRIBUTE);
        if (!user.admin()) {
            throw new ConsoleRefusal(HttpStatus.FORBIDDEN, "only the administrator switches tenants");
        }
        if (tenants.find(tenantId).isEmpty()) {
            throw new ConsoleRefusal(HttpStatus.NOT_FOUND, "tenantId: no tenant " + tenantId);
        }
        request.getSession().setAttribute(ConsoleUser.SESSION_ATTRIBUTE, user.viewing(tenantId));
        return "redirect:" + ConsoleAccessFilter.PREFIX;
    }

}
