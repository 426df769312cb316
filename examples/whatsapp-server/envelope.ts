// The webhook envelope Meta posts, shared by the simulated customers and the fake Graph API's
// receipts: one `messages` change for one business number.

type Json = Record<string, unknown>;

/** The WhatsApp Business Account id the simulation pretends to be. */
export const WABA_ID = '102290129340398';

/** An envelope carrying `value` (messages, statuses...) for business number `phoneNumberId`. */
export function webhookEnvelope(phoneNumberId: string, value: Json): Json {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WABA_ID,
        changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, ...value } }],
      },
    ],
  };
}
