package api.console;

import java.util.Map;

import org.springframework.ui.Model;

import api.ApiException;

/**
 * A console form the API refused with a 400: its message shown by the field it names (or above the form when it names
 * none), and what the person typed, so the page re-renders their form with both instead of an error page. Templates
 * use {@code fragments :: field-error(name)} beside each input and {@code formError.value(name, current)} for its value.
 */
public record FormRefusal(String field, String message, Map<String, String> typed) {

    /** The model attribute the form templates read. */
    public static final String ATTRIBUTE = "formError";

    /** The API's refusal of the typed values; the CSRF token is not kept. */
    public static FormRefusal of(ApiException refusal, Map<String, String> typed) {
        Map<String, String> kept = new java.util.LinkedHashMap<>(typed);
        kept.remove("_csrf");
        return new FormRefusal(refusal.field(), refusal.getMessage(), Map.copyOf(kept));
    }

    /** Puts it where the form templates look for it, with a 400 status set by the caller's response. */
    public void addTo(Model model) {
        model.addAttribute(ATTRIBUTE, this);
    }

    /** The message when the refusal names this input (exactly, or as the last part of a dotted path), else null. */
    public String errorFor(String name) {
        if (field == null || name == null) {
            return null;
        }
        return field.equals(name) || field.endsWith("." + name) || name.endsWith("." + field) ? message : null;
    }

    /** The message when it names no input of the form: shown above the form. */
    public String general(java.util.Collection<String> inputs) {
        return inputs.stream().anyMatch(i -> errorFor(i) != null) ? null : message;
    }

    /** What the person typed into this input, or the current value when they typed nothing there. */
    public String value(String name, String current) {
        return typed.getOrDefault(name, current);
    }
}
