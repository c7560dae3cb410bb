package api.console;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;

import api.AdminController;
import api.ConflictController;
import api.MatchController;
import api.WebhookController;
import hub.ConflictingStateException;
import processors.writeback.ConflictResolution;
import store.Conflict;
import store.WebhookDeliveryStore;

/**
 * The review queues only the hub has: open write-back conflicts (base, ours, theirs; keep ours or theirs), pending
 * entity matches (accept, reject), dead letters (the administrator's: replay, drop) and received webhook deliveries
 * (filter, payload). Actions go through the REST API's controllers, so a stale object (someone else resolved it) is
 * refused as the API refuses it and the page shows the current state.
 */
@Controller
public class ReviewQueuePages {

    private final ConsolePages pages;
    private final ConflictController conflicts;
    private final MatchController matches;
    private final AdminController admin;
    private final WebhookController webhooks;
    private final WebhookDeliveryStore deliveries;

    public ReviewQueuePages(ConsolePages pages, ConflictController conflicts, MatchController matches, AdminController admin,
                            WebhookController webhooks, WebhookDeliveryStore deliveries) {
        this.pages = pages;
        this.conflicts = conflicts;
        this.matches = matches;
        this.admin = admin;
        this.webhooks = webhooks;
        this.deliveries = deliveries;
    }

    @GetMapping(ConsoleAccessFilter.PREFIX + "/conflicts")
    public String conflictQueue(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user,
                                @RequestParam(required = false) String cursor, Model model) {
        pages.common(user, model, "conflicts");
        ConsolePages.requireTenant(user);
        model.addAttribute("page", conflicts.list(user.caller(), "open", null, ConsolePages.PAGE_SIZE, cursor));
        return "console/conflicts";
    }

    @GetMapping(ConsoleAccessFilter.PREFIX + "/conflicts/{id}")
    public String conflict(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id, Model model) {
        pages.common(user, model, "conflicts");
        ConsolePages.requireTenant(user);
        model.addAttribute("c", conflicts.get(user.caller(), id));
        return "console/conflict";
    }

    @PostMapping(ConsoleAccessFilter.PREFIX + "/conflicts/{id}/resolve")
    public String resolve(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                          @RequestParam String keep, Model model) {
        ConsolePages.requireTenant(user);
        String page = ConsoleAccessFilter.PREFIX + "/conflicts/" + id;
        try {
            conflicts.resolve(user.caller(), id, new ConflictResolution.Request(keep, null));
        } catch (ConflictingStateException e) {
            if (conflicts.get(user.caller(), id).status() == Conflict.Status.OPEN) {
                throw e;
            }
            // someone else resolved it meanwhile: show how it was resolved rather than failing
            return "redirect:" + page + "?stale=1";
        }
        return "redirect:" + page;
    }

    @GetMapping(ConsoleAccessFilter.PREFIX + "/matches")
    public String matchQueue(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user,
                             @RequestParam(required = false) String cursor, Model model) {
        pages.common(user, model, "matches");
        ConsolePages.requireTenant(user);
        model.addAttribute("page", matches.list(user.caller(), "pending", ConsolePages.PAGE_SIZE, cursor));
        return "console/matches";
    }

    @PostMapping(ConsoleAccessFilter.PREFIX + "/matches/{id}/{decision:accept|reject}")
    public String decide(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                         @PathVariable String decision) {
        ConsolePages.requireTenant(user);
        if (decision.equals("accept")) {
            matches.accept(user.caller(), id);
        } else {
            matches.reject(user.caller(), id);
        }
        return "redirect:" + ConsoleAccessFilter.PREFIX + "/matches";
    }

    @GetMapping(ConsoleAccessFilter.PREFIX + "/deadletters")
    public String deadLetters(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user,
                              @RequestParam(required = false) String cursor, Model model) {
        requireAdmin(user);
        pages.common(user, model, "deadletters");
        model.addAttribute("page", admin.deadLetters(user.tenantId(), ConsolePages.PAGE_SIZE, cursor));
        return "console/deadletters";
    }

    @PostMapping(ConsoleAccessFilter.PREFIX + "/deadletters/{id}/{action:replay|drop}")
    public String deadLetter(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                             @PathVariable String action) {
        requireAdmin(user);
        if (action.equals("replay")) {
            admin.replay(user.caller(), id);
        } else {
            admin.deleteDeadLetter(user.caller(), id);
        }
        return "redirect:" + ConsoleAccessFilter.PREFIX + "/deadletters";
    }

    @GetMapping(ConsoleAccessFilter.PREFIX + "/webhooks")
    public String webhookDeliveries(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user,
                                    @RequestParam(required = false) String registrationId, @RequestParam(required = false) String status,
                                    @RequestParam(required = false) String cursor, Model model) {
        pages.common(user, model, "webhooks");
        ConsolePages.requireTenant(user);
        model.addAttribute("page", webhooks.deliveries(user.caller(), blankToNull(registrationId), blankToNull(status),
                ConsolePages.PAGE_SIZE, cursor));
        model.addAttribute("filter", Map.of("registrationId", registrationId == null ? "" : registrationId,
                "status", status == null ? "" : status));
        return "console/webhooks";
    }

    @GetMapping(ConsoleAccessFilter.PREFIX + "/webhooks/{id}/payload")
    public String webhookPayload(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id, Model model) {
        pages.common(user, model, "webhooks");
        ConsolePages.requireTenant(user);
        var delivery = deliveries.findById(id).filter(d -> user.tenantId().equals(d.tenantId()))
                .orElseThrow(() -> new ConsoleRefusal(HttpStatus.NOT_FOUND, "webhook delivery not found"));
        model.addAttribute("d", delivery);
        model.addAttribute("payload", deliveries.payload(id).orElse(""));
        return "console/webhook";
    }

    private static void requireAdmin(ConsoleUser user) {
        if (!user.admin()) {
            throw new ConsoleRefusal(HttpStatus.FORBIDDEN, "dead letters are the administrator's");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
