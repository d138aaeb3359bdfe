ignore class {-circuit1 FILL}
ignore class {-circuit2 FILL}
permute default
property default
property {-circuit1 nfet} remove ad pd as ps
property {-circuit1 pfet} remove ad pd as ps
