/** ActivityPub §3.2: the media type of activities and actors, sent and accepted. */
export const ACTIVITY_TYPE = 'application/activity+json';

/** ActivityStreams 2.0 §2: the one context every activity we send names. */
export const AS_CONTEXT = 'https://www.w3.org/ns/activitystreams';
