package api;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import hub.InvalidInputException;
import hub.NotFoundException;
import processors.events.EventCatalog;
import processors.events.EventCatalog.EventType;
import security.Caller;
import store.Cursor;
import store.Event;
import store.EventStore;
import store.Page;

/**
 * The event stream as the relay published it ({@code GET /api/events}, the caller's tenant only) and the catalog of
 * event types with the JSON Schema of each ({@code GET /api/event-types}).
 */
@RestController
public class EventController {

    private final EventStore events;
    private final EventCatalog catalog;

    public EventController(EventStore events, EventCatalog catalog) {
        this.events = events;
        this.catalog = catalog;
    }

    /**
     * The tenant's relayed events: newest first, a page at a time ({@code cursor} from the previous page); or, with
     * {@code after} (an event id), the events relayed after that one, oldest first, to follow the stream.
     */
    @GetMapping("/api/events")
    public Page<Event> list(Caller caller, @RequestParam(required = false) String type, @RequestParam(required = false) String after,
                            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        if (type != null && catalog.find(type).isEmpty()) {
            throw new InvalidInputException("type", "no event type " + type + "; GET /api/event-types lists them");
        }
        int size = Cursor.limit(limit, 50, 500);
        if (after != null) {
            if (cursor != null) {
                throw new InvalidInputException("cursor", "give after (follow the stream) or cursor (newest first), not both");
            }
            return events.after(caller.tenantId(), type, after, size);
        }
        return events.list(caller.tenantId(), type, Cursor.decode(cursor), size);
    }

    @GetMapping("/api/events/{id}")
    public Event get(Caller caller, @PathVariable String id) {
        return events.find(caller.tenantId(), id).orElseThrow(() -> NotFoundException.of("event"));
    }

    @GetMapping("/api/event-types")
    public Page<EventType> types() {
        return new Page<>(List.copyOf(catalog.all()), null);
    }

    @GetMapping("/api/event-types/{type}")
    public EventType type(@PathVariable String type) {
        return catalog.find(type).orElseThrow(() -> NotFoundException.of("event type " + type));
    }
}
