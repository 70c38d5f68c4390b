"""Questions to the committee (咨询): a resident asks (text, up to 3 photos); the community's staff or the grid's
volunteer answer in a thread; the asker follows up or closes it; a good answer can be kept as a guide.
(The seed's 交流群, without the noise.)"""
