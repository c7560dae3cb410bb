package store;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One page of a list, with the opaque cursor of the next page (null on the last). */
public record Page<T>(List<T> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
}
