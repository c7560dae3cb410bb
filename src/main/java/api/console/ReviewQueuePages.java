package api.console;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;

import api.AdminController;
import api.ApiErrors;
import api.ApiException;
import api.ConflictController;
import api.MatchController;
import api.ShardController;
import api.WebhookController;
import hub.ConflictingStateException;
import hub.InvalidInputException;
import hub.JsonText;
import hub.RefusalException;
import processors.conflicts.FieldValues;
import processors.resolution.ShardMerges;
import processors.writeback.ConflictResolution;
import store.Conflict;
import store.MatchDecision;
import store.Shard;
import store.WebhookDelivery;
import store.WebhookDeliveryStore;

/**
 * The review queues only the hub has: open write-back conflicts (base, ours, theirs; keep ours or theirs, or edit the
 * values), entity matches (pending: accept, reject; merged: unmerge the source, shown on its own shard afterwards), dead
 * letters (the administrator's: replay, drop) and received webhook deliveries (filter, payload, replay). Actions go
 * through the REST API's controllers and services, so a stale object (someone else resolved it) is refused as the API
 * refuses it and the page shows the current state, and a value the API refuses is shown by its field.
 */
@Controller
public class ReviewQueuePages {

    private final ConsolePages pages;
    private final ConflictController conflicts;
    private final MatchController matches;
    private final AdminController admin;
    private final WebhookController webhooks;
    private final WebhookDeliveryStore deliveries;
    private final ShardController shards;
    private final ShardMerges merges;
    private final ObjectMapper json;

    public ReviewQueuePages(ConsolePages pages, ConflictController conflicts, MatchController matches, AdminController admin,
                            WebhookController webhooks, WebhookDeliveryStore deliveries, ShardController shards, ShardMerges merges,
                            ObjectMapper json) {
        this.pages = pages;
        this.conflicts = conflicts;
        this.matches = matches;
        this.admin = admin;
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.shards = shards;
        this.merges = merges;
        this.json = json;
    }

    @GetMapping(ConsoleAccessFilter.PREFIX + "/conflicts")
    public String conflictQueue(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user,
                                @RequestParam(required = false) String cursor, Model model) {
        pages.common(user, model, "conflicts");
        ConsolePages.requireTenant(user);
        model.addAttribute("page", conflicts.list(user.caller(), "open", null, ConsolePages.PAGE_SIZE, cursor));
        return "console/conflicts";
    }

    /** The conflict; {@code edit=ours|theirs} opens the edit form with each field starting from that side. */
    @GetMapping(ConsoleAccessFilter.PREFIX + "/conflicts/{id}")
    public String conflict(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                           @RequestParam(required = false) String edit, Model model) {
        pages.common(user, model, "conflicts");
        ConsolePages.requireTenant(user);
        model.addAttribute("c", conflicts.get(user.caller(), id));
        model.addAttribute("editFrom", "theirs".equals(edit) ? "theirs" : "ours");
        model.addAttribute("editOpen", edit != null || model.containsAttribute(FormRefusal.ATTRIBUTE));
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

    /**
     * The conflict settled with the values typed per field ({@code values.<field>}), as the API's {@code values}: each
     * typed as the field's values are (a number or true/false where ours or theirs is one), empty clearing it. A value the
     * API refuses is shown by its field with what was typed; a conflict resolved meanwhile shows how it stands.
     */
    @PostMapping(ConsoleAccessFilter.PREFIX + "/conflicts/{id}/edit")
    public String resolveWithValues(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                                    @RequestParam Map<String, String> params, Model model, HttpServletResponse response) {
        ConsolePages.requireTenant(user);
        String page = ConsoleAccessFilter.PREFIX + "/conflicts/" + id;
        Conflict conflict = conflicts.get(user.caller(), id);
        if (conflict.status() != Conflict.Status.OPEN) {
            return "redirect:" + page + "?stale=1";
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Conflict.Field f : conflict.fields()) {
            values.put(f.field(), typed(params.get("values." + f.field()), f));
        }
        try {
            conflicts.resolve(user.caller(), id, new ConflictResolution.Request(null, values));
        } catch (InvalidInputException e) {
            // the API names the field as the form does (values.<field>); one it cannot pin is shown above the inputs
            FormRefusal.of(new ApiException(HttpStatus.BAD_REQUEST, e.getMessage(), e.field()), params).addTo(model);
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return conflict(user, id, "edit", model);
        } catch (ConflictingStateException e) {
            if (conflicts.get(user.caller(), id).status() == Conflict.Status.OPEN) {
                throw e;
            }
            return "redirect:" + page + "?stale=1";
        }
        return "redirect:" + page;
    }

    /** Typed text as the field's kind of value: a number or true/false where ours or theirs is one (else the text, for the API to judge). */
    static Object typed(String text, Conflict.Field field) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        Object sample = field.ours() != null ? field.ours() : field.theirs();
        if (sample instanceof Boolean && (text.trim().equalsIgnoreCase("true") || text.trim().equalsIgnoreCase("false"))) {
            return Boolean.valueOf(text.trim().toLowerCase());
        }
        if (sample instanceof Number) {
            try {
                BigDecimal number = new BigDecimal(text.trim());
                try {
                    return number.longValueExact();
                } catch (ArithmeticException fraction) {
                    return number.doubleValue();
                }
            } catch (NumberFormatException notANumber) {
                return text;
            }
        }
        return text;
    }

    /**
     * Entity-resolution decisions by status, as the API lists them ({@code pending}, the default: accept or reject;
     * {@code accepted} and {@code applied}: merges a person accepted or the sync made, each source can be split out again).
     */
    @GetMapping(ConsoleAccessFilter.PREFIX + "/matches")
    public String matchQueue(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user,
                             @RequestParam(required = false) String status, @RequestParam(required = false) String cursor, Model model) {
        pages.common(user, model, "matches");
        ConsolePages.requireTenant(user);
        String shown = status == null || status.isBlank() ? MatchDecision.Status.PENDING.value() : status;
        store.Page<MatchDecision> page = matches.list(user.caller(), shown, ConsolePages.PAGE_SIZE, cursor);
        model.addAttribute("page", page);
        model.addAttribute("merged", page.items().stream().filter(ReviewQueuePages::merged).map(MatchDecision::id).toList());
        model.addAttribute("status", shown);
        model.addAttribute("statuses", List.of(MatchDecision.Status.PENDING, MatchDecision.Status.ACCEPTED, MatchDecision.Status.APPLIED,
                MatchDecision.Status.REJECTED, MatchDecision.Status.UNDONE));
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

    /**
     * "Unmerge this source" on a merge (accepted by a person, or made by the sync): the decision's source record is split
     * out of the shard it joined, and its own shard is shown. Refused (the source left the shard already, or is its only
     * one) on the list, with the API's message and status.
     */
    @PostMapping(ConsoleAccessFilter.PREFIX + "/matches/{id}/unmerge")
    public String unmergeMatch(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                               @RequestParam(required = false) String status, Model model, HttpServletResponse response) {
        ConsolePages.requireTenant(user);
        MatchDecision decision = matches.get(user.caller(), id);
        if (!merged(decision)) {
            throw new ConflictingStateException("a " + decision.kind().value() + " decision that is " + decision.status().value()
                    + " joined no source to a shard: there is nothing to unmerge");
        }
        try {
            Shard own = merges.unmerge(user.caller(), decision.shardId(),
                    new ShardMerges.SourceRecord(decision.integrationId(), decision.entity(), decision.externalId()));
            return "redirect:" + ConsoleAccessFilter.PREFIX + "/shards/" + own.id() + "?unmergedFrom=" + decision.shardId();
        } catch (RefusalException e) {
            response.setStatus(ApiErrors.status(e).value());
            model.addAttribute("refusal", e.getMessage());
            return matchQueue(user, status, null, model);
        }
    }

    /** A decision that joined its source record to a shard: a review a person accepted, or a merge the sync made. */
    static boolean merged(MatchDecision d) {
        return d.kind() == MatchDecision.Kind.REVIEW && d.status() == MatchDecision.Status.ACCEPTED
                || d.kind() == MatchDecision.Kind.MERGE && d.status() == MatchDecision.Status.APPLIED;
    }

    /** A shard as entity resolution sees it: its values, its source records (each can be split out) and the decisions about it. */
    @GetMapping(ConsoleAccessFilter.PREFIX + "/shards/{id}")
    public String shard(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                        @RequestParam(required = false) String unmergedFrom, Model model) {
        pages.common(user, model, "matches");
        ConsolePages.requireTenant(user);
        Shard shard = shards.get(user.caller(), id);
        model.addAttribute("shard", shard);
        model.addAttribute("values", FieldValues.flatten(JsonText.readMap(json, shard.structuredData())));
        model.addAttribute("decisions", shards.matches(user.caller(), id).get("items"));
        model.addAttribute("unmergedFrom", unmergedFrom == null || unmergedFrom.isBlank() ? null : unmergedFrom);
        return "console/shard";
    }

    @PostMapping(ConsoleAccessFilter.PREFIX + "/shards/{id}/unmerge")
    public String unmergeSource(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                                @RequestParam String integrationId, @RequestParam String entity, @RequestParam String externalId,
                                Model model, HttpServletResponse response) {
        ConsolePages.requireTenant(user);
        try {
            Shard own = merges.unmerge(user.caller(), id, new ShardMerges.SourceRecord(integrationId, entity, externalId));
            return "redirect:" + ConsoleAccessFilter.PREFIX + "/shards/" + own.id() + "?unmergedFrom=" + id;
        } catch (ConflictingStateException e) {
            response.setStatus(HttpStatus.CONFLICT.value());
            model.addAttribute("refusal", e.getMessage());
            return shard(user, id, null, model);
        }
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
            return "redirect:" + ConsoleAccessFilter.PREFIX + "/deadletters?replayed=" + id;
        }
        admin.deleteDeadLetter(user.caller(), id);
        return "redirect:" + ConsoleAccessFilter.PREFIX + "/deadletters?dropped=" + id;
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
    public String webhookPayload(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id,
                                 @RequestParam(required = false) String replayed, Model model) {
        pages.common(user, model, "webhooks");
        ConsolePages.requireTenant(user);
        WebhookDelivery delivery = webhooks.delivery(user.caller(), id);
        model.addAttribute("d", delivery);
        model.addAttribute("replayed", replayed != null);
        // while it waits to be processed the page follows it (the same page, polled)
        model.addAttribute("follow", delivery.status() == WebhookDelivery.Status.ACCEPTED
                ? ConsoleAccessFilter.PREFIX + "/webhooks/" + id + "/payload" + (replayed != null ? "?replayed=1" : "") : null);
        model.addAttribute("replayable", delivery.verification() == WebhookDelivery.Verification.VERIFIED
                && (delivery.status() == WebhookDelivery.Status.PROCESSED || delivery.status() == WebhookDelivery.Status.PROCESSING_FAILED));
        model.addAttribute("payload", deliveries.payload(id).orElse(""));
        return "console/webhook";
    }

    /** The delivery processed again as when it arrived (the API's replay); its page follows it until processed. */
    @PostMapping(ConsoleAccessFilter.PREFIX + "/webhooks/{id}/replay")
    public String replayWebhook(@RequestAttribute(ConsoleUser.SESSION_ATTRIBUTE) ConsoleUser user, @PathVariable String id, Model model,
                                HttpServletResponse response) {
        ConsolePages.requireTenant(user);
        try {
            webhooks.replay(user.caller(), id);
        } catch (ConflictingStateException e) {
            // waiting to be processed (replayed meanwhile) or never queued: the page as it stands, with why
            response.setStatus(HttpStatus.CONFLICT.value());
            model.addAttribute("refusal", e.getMessage());
            return webhookPayload(user, id, null, model);
        }
        return "redirect:" + ConsoleAccessFilter.PREFIX + "/webhooks/" + id + "/payload?replayed=1";
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
