/**
 * A stand-in for HUB_QUEUE that keeps what is sent, so a test can look at the messages a
 * deploy enqueued and hand them to the consumer itself (createMessageBatch), in order.
 */
export function captureQueue(): { queue: Queue; bodies: unknown[] } {
  const bodies: unknown[] = [];
  const metadata = {
    metrics: { backlogCount: 0, backlogBytes: 0, oldestMessageTimestamp: new Date(0) },
  };
  const queue: Queue = {
    async send(body) {
      bodies.push(structuredClone(body));
      return { metadata };
    },
    async sendBatch(messages) {
      for (const message of messages) bodies.push(structuredClone(message.body));
      return { metadata };
    },
    async metrics() {
      return metadata.metrics;
    },
  } as Queue;
  return { queue, bodies };
}
