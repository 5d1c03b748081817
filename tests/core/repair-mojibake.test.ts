import { describe, expect, it } from 'vitest';
import { repairMojibake } from '../../src/core/repair-mojibake.ts';

describe('repairMojibake', () => {
  it.each([
    // The seed's own related title.
    ['Tech Giantâ€™s Web Services', 'Tech Giant’s Web Services'],
    ['â€œQuotedâ€\u009D text', '“Quoted” text'],
    ['cafÃ© au lait', 'café au lait'],
    ['ZÃ¼rich', 'Zürich'],
    ['Price: 5â‚¬', 'Price: 5€'],
    ['emoji ðŸ˜€', 'emoji 😀'],
    ['dash â€“ and â€” more', 'dash – and — more'],
    ['æ—¥æœ¬èªž', '日本語'],
    ['Â© 2021', '© 2021'],
  ])('repairs UTF-8 read as Windows-1252: %j', (broken, fixed) => {
    const result = repairMojibake(broken);
    expect(result.text).toBe(fixed);
    expect(result.repairs).toBeGreaterThan(0);
  });

  it.each([
    'café',
    'Zürich',
    'naïve',
    'Ærøskøbing',
    'Ångström',
    'façade déjà vu',
    'Straße',
    'El Niño',
    '日本語',
    '😀 emoji',
    '“curly” ‘quotes’ — dash – en',
    'Ça va? À bientôt!',
    'São Paulo',
    'Œuvre',
    '±5 °C, ½ cup, µm, ¿qué?',
    'Él sí',
    'Ãbc', // a lone lead character followed by ASCII is text, not a sequence
  ])('leaves legitimate text byte-for-byte: %j', (text) => {
    const result = repairMojibake(text);
    expect(result.text).toBe(text);
    expect(result.repairs).toBe(0);
  });
});
