/** Every XML document we write is UTF-8 and says so (XML 1.0 §4.3.3). */
export const xmlPrologue = '<?xml version="1.0" encoding="utf-8"?>\n';
