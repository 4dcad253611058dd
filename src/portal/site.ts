/**
 * The site's own names. The demo district is 温州市瓯海区; an installation for another district changes these
 * (they are text, not data, because they appear on every page and in the guide).
 */
export const site = {
  name: '温州市瓯海区人民政府',
  short: '瓯海区',
  sponsor: '温州市瓯海区人民政府办公室',
  address: '温州市瓯海区娄桥街道瓯海大道',
  postcode: '325014',
  hours: '工作日上午8:30—12:00，下午14:30—17:30（法定节假日除外）',
  phone: '0577-8888 0000',
  regionCode: '330304',
};
