import type { stringsEnScoring } from './strings-en-scoring';

/** Traditional Chinese (Hong Kong) strings of the engagement score's settings (the half-life). */
export const stringsZhHkScoring: Record<keyof typeof stringsEnScoring, string> = {
  'halfLife.title': '參與度分數',
  'halfLife.intro': '分數側重近期活動：每封電郵和每個會議的比重會隨時間遞減。半衰期是比重減至一半所需的日數；經過兩倍日數後，比重只剩四分之一。',
  'halfLife.label': '半衰期',
  'halfLife.unit': '日',
  'halfLife.hint': '{min} 至 {max} 日；預設為 {default} 日。較短會緊貼最近幾星期的活動；較長則保留全年更多的活動。更改後，下次運行會重新讀取所有郵箱。',
  'halfLife.error.required': '請輸入日數。',
  'halfLife.error.whole': '請輸入整數日數，例如 30。',
  'halfLife.error.range': '請選擇 {min} 至 {max} 日之間的數值。',
  'halfLife.save': '儲存半衰期',
  'halfLife.saved': '已儲存。下次運行會重新讀取所有郵箱，並以新的半衰期計算分數。',
  'halfLife.current': '{days, plural, other {半衰期：# 日}}',
  'halfLife.readOnly': '只有參與度管理員才能更改半衰期。',
};
